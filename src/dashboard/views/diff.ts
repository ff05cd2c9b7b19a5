// What the revision under analysis changes: the target's pod template (the new
// revision) against the `-primary` copy (what runs now), container by container —
// images and env — plus the checksums of the ConfigMaps/Secrets the operator tracks.
// Secret values are never read: env from a Secret shows as its reference.
import { isRecord } from '../../kube/json.js';
import type { KubeObject } from '../../kube/types.js';
import type { DiffLine } from './types.js';

interface ContainerView {
  readonly image: string;
  readonly env: ReadonlyMap<string, string>;
}

function envValue(e: Record<string, unknown>): string {
  if (typeof e['value'] === 'string') return e['value'];
  const from = e['valueFrom'];
  if (!isRecord(from)) return '';
  for (const [kind, ref] of Object.entries(from)) {
    if (isRecord(ref)) {
      const target = [ref['name'], ref['key'] ?? ref['fieldPath'] ?? ref['resource']].filter(
        (x) => typeof x === 'string',
      );
      return `(${kind} ${target.join('/')})`;
    }
  }
  return '';
}

function envOf(list: unknown): Map<string, string> {
  const env = new Map<string, string>();
  if (!Array.isArray(list)) return env;
  for (const e of list) if (isRecord(e) && typeof e['name'] === 'string') env.set(e['name'], envValue(e));
  return env;
}

function containers(workload: KubeObject | undefined): Map<string, ContainerView> {
  const out = new Map<string, ContainerView>();
  const spec = isRecord(workload?.['spec']) ? workload['spec'] : {};
  const template = isRecord(spec['template']) ? spec['template'] : {};
  const pod = isRecord(template['spec']) ? template['spec'] : {};
  for (const list of [pod['initContainers'], pod['containers']]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      if (!isRecord(c) || typeof c['name'] !== 'string') continue;
      out.set(c['name'], { image: typeof c['image'] === 'string' ? c['image'] : '', env: envOf(c['env']) });
    }
  }
  return out;
}

/** Lines that differ between the primary (before) and the target (after). */
export function revisionDiff(
  target: KubeObject | undefined,
  primary: KubeObject | undefined,
  trackedConfigs: Readonly<Record<string, string>>,
): DiffLine[] {
  const after = containers(target);
  const before = containers(primary);
  const lines: DiffLine[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const a = after.get(name);
    const b = before.get(name);
    if ((a?.image ?? '') !== (b?.image ?? ''))
      lines.push({
        kind: 'image',
        container: name,
        name: 'image',
        before: b?.image ?? '',
        after: a?.image ?? '',
      });
    const envNames = new Set([...(b?.env.keys() ?? []), ...(a?.env.keys() ?? [])]);
    for (const env of [...envNames].sort()) {
      const va = a?.env.get(env);
      const vb = b?.env.get(env);
      if (va !== vb)
        lines.push({ kind: 'env', container: name, name: env, before: vb ?? '', after: va ?? '' });
    }
  }
  for (const [ref, checksum] of Object.entries(trackedConfigs).sort()) {
    lines.push({ kind: 'config', container: '', name: ref, before: '', after: checksum });
  }
  return lines;
}
