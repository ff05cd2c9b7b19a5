// Finds the ConfigMaps and Secrets a pod spec references, and renames those references.
// One walker serves both jobs so discovery and renaming can never disagree about which
// fields count (volumes, projected sources, env, envFrom; containers and initContainers).
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';

export type ConfigKind = 'configmap' | 'secret';

/** `configmap/<name>` or `secret/<name>`: the keys of status.trackedConfigs. */
export type ConfigKey = `${ConfigKind}/${string}`;

export function configKey(kind: ConfigKind, name: string): ConfigKey {
  return `${kind}/${name}`;
}

export interface ConfigRef {
  kind: ConfigKind;
  name: string;
  /** True only when every reference to the object is marked optional. */
  optional: boolean;
}

/** Called for each reference; `rename` rewrites the field that holds the name. */
type Visitor = (kind: ConfigKind, name: string, optional: boolean, rename: (to: string) => void) => void;

/** A holder of a `name` field (selectors, env sources, projections); names may be unset. */
interface Named {
  name?: string;
  optional?: boolean;
}

function visitNamed(kind: ConfigKind, ref: Named | undefined, visit: Visitor): void {
  if (ref?.name === undefined || ref.name === '') return;
  visit(kind, ref.name, ref.optional === true, (to) => {
    ref.name = to;
  });
}

function visitContainer(container: V1Container, visit: Visitor): void {
  for (const env of container.env ?? []) {
    const from = env.valueFrom;
    // A valid EnvVarSource sets one member; config map first, as Flagger checks it first.
    if (from?.configMapKeyRef !== undefined) visitNamed('configmap', from.configMapKeyRef, visit);
    else if (from?.secretKeyRef !== undefined) visitNamed('secret', from.secretKeyRef, visit);
  }
  for (const envFrom of container.envFrom ?? []) {
    if (envFrom.configMapRef !== undefined) visitNamed('configmap', envFrom.configMapRef, visit);
    else if (envFrom.secretRef !== undefined) visitNamed('secret', envFrom.secretRef, visit);
  }
}

function visitPodSpec(spec: V1PodSpec, visit: Visitor): void {
  for (const volume of spec.volumes ?? []) {
    visitNamed('configmap', volume.configMap, visit);
    const secret = volume.secret;
    if (secret?.secretName !== undefined && secret.secretName !== '') {
      visit('secret', secret.secretName, secret.optional === true, (to) => {
        secret.secretName = to;
      });
    }
    for (const source of volume.projected?.sources ?? []) {
      visitNamed('configmap', source.configMap, visit);
      visitNamed('secret', source.secret, visit);
    }
  }
  // initContainers count too: an init container reading a changed ConfigMap is a new revision.
  for (const container of [...spec.containers, ...(spec.initContainers ?? [])]) {
    visitContainer(container, visit);
  }
}

/** The distinct ConfigMaps and Secrets referenced by `spec`, in order of first reference. */
export function findConfigRefs(spec: V1PodSpec | undefined): ConfigRef[] {
  const byKey = new Map<ConfigKey, ConfigRef>();
  if (spec === undefined) return [];
  visitPodSpec(spec, (kind, name, optional) => {
    const key = configKey(kind, name);
    const seen = byKey.get(key);
    // One mandatory use makes the object mandatory: the pod cannot start without it.
    if (seen === undefined) byKey.set(key, { kind, name, optional });
    else seen.optional &&= optional;
  });
  return [...byKey.values()];
}

/**
 * A copy of `spec` where every reference to a key in `renamed` gets `suffix` appended
 * (Flagger: `-primary`). References to other objects are left alone, so untracked or
 * opted-out objects stay shared between target and primary.
 */
export function renameConfigRefs(
  spec: V1PodSpec,
  renamed: ReadonlySet<string>,
  suffix = '-primary',
): V1PodSpec {
  const copy = structuredClone(spec);
  visitPodSpec(copy, (kind, name, _optional, rename) => {
    if (renamed.has(configKey(kind, name))) rename(`${name}${suffix}`);
  });
  return copy;
}
