// Label selector strings (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`), matched the way the
// API server does for `?labelSelector=`. Used by the fake client.

type Requirement = (labels: Record<string, string>) => boolean;

const SET_RE = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/;

function parseRequirement(raw: string): Requirement {
  const term = raw.trim();
  const set = SET_RE.exec(term);
  if (set !== null) {
    const [, key = '', op, list = ''] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (l) => l[key] !== undefined && values.has(l[key])
      : (l) => l[key] === undefined || !values.has(l[key]);
  }
  const ne = term.split('!=');
  if (ne.length === 2) return (l) => l[(ne[0] ?? '').trim()] !== (ne[1] ?? '').trim();
  const eq = term.split(/==?/);
  if (eq.length === 2) return (l) => l[(eq[0] ?? '').trim()] === (eq[1] ?? '').trim();
  if (term.startsWith('!')) return (l) => l[term.slice(1).trim()] === undefined;
  return (l) => l[term] !== undefined;
}

/** Splits on commas that are not inside a `( ... )` value list. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.filter((t) => t.trim() !== '');
}

export function matchesLabelSelector(selector: string | undefined, labels: Record<string, string>): boolean {
  if (selector === undefined) return true;
  return splitTerms(selector).every((term) => parseRequirement(term)(labels));
}
