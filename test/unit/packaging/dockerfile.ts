// A small Dockerfile reader for the packaging tests: instructions grouped by build
// stage, with line continuations joined and comments dropped. Enough to check the
// rules the image must follow; it is not a full Dockerfile parser (no heredocs).

export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly from: string;
  readonly name: string | undefined;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** ARG and similar instructions before the first FROM. */
  readonly preamble: readonly Instruction[];
  readonly stages: readonly Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions: Instruction[] = [];
  let pending = '';
  let start = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    if (pending === '') start = i + 1;
    if (line.trimStart().startsWith('#')) return; // a comment inside a continued instruction
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      return;
    }
    const full = (pending + line.trim()).trim();
    pending = '';
    const m = /^(\S+)\s*(.*)$/s.exec(full);
    if (m?.[1] !== undefined)
      instructions.push({ keyword: m[1].toUpperCase(), args: m[2] ?? '', line: start });
  });
  if (pending !== '') throw new Error('Dockerfile ends inside a continued line');

  const preamble: Instruction[] = [];
  const stages: { from: string; name: string | undefined; instructions: Instruction[] }[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m?.[1]) throw new Error(`line ${ins.line}: cannot read FROM ${ins.args}`);
      stages.push({ from: m[1], name: m[2], instructions: [] });
      continue;
    }
    const current = stages.at(-1);
    if (current) current.instructions.push(ins);
    else preamble.push(ins);
  }
  return { preamble, stages };
}

/** An exec-form (JSON array) argument list, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const value: unknown = JSON.parse(args);
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

/** Expands ${NAME} / $NAME from ARG defaults of the preamble. */
export function expandArgs(value: string, preamble: readonly Instruction[]): string {
  const defaults = new Map<string, string>();
  for (const ins of preamble) {
    const m = /^(\w+)=(\S+)$/.exec(ins.args);
    if (ins.keyword === 'ARG' && m?.[1] !== undefined && m[2] !== undefined) defaults.set(m[1], m[2]);
  }
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a?: string, b?: string) => {
    const key = a ?? b ?? '';
    return defaults.get(key) ?? whole;
  });
}
