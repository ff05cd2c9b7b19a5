// Config tracking (Flagger §2.3): checksums of the ConfigMaps and Secrets a workload uses,
// so that a data change counts as a new revision, and the `-primary` copies the primary
// workload mounts instead, so the primary keeps the promoted data during an analysis.
import { createHash } from 'node:crypto';
import type { V1ConfigMap, V1ObjectMeta, V1OwnerReference, V1Secret } from '@kubernetes/client-node';
import { configKey, type ConfigKey, type ConfigKind, type ConfigRef } from './config-refs.js';
import { includeLabelsByPrefix } from './labels.js';

export const CONFIG_TRACKING_ANNOTATION = 'flagger.app/config-tracking';

/** Other types (docker registry, service-account tokens ...) are not app config. */
export const TRACKED_SECRET_TYPES: readonly string[] = [
  'Opaque',
  'kubernetes.io/basic-auth',
  'kubernetes.io/ssh-auth',
  'kubernetes.io/tls',
];

/** A ConfigMap or a Secret as observed (undefined = not found). */
export type ConfigObject = V1ConfigMap | V1Secret;

/**
 * Go's encoding/json escapes <, > and & (and U+2028/9) where JSON.stringify does not. We
 * reproduce that so checksums equal Flagger's: a canary migrated from Flagger then keeps its
 * status.trackedConfigs instead of seeing every config as changed.
 */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Go's JSON for a map[string]string (keys sorted, nil map = null). */
export function goJsonStringMap(data: Readonly<Record<string, string>> | undefined): string {
  if (data === undefined) return 'null';
  const keys = Object.keys(data).sort();
  return `{${keys.map((k) => `${goJsonString(k)}:${goJsonString(data[k] ?? '')}`).join(',')}}`;
}

/** First 8 bytes (16 hex chars) of SHA-256 over the JSON of `data`, as Flagger computes it. */
export function configChecksum(data: Readonly<Record<string, string>> | undefined): string {
  return createHash('sha256').update(goJsonStringMap(data)).digest('hex').slice(0, 16);
}

/** `flagger.app/config-tracking: disabled` (any value starting with "disable") opts out. */
export function isTrackingDisabled(obj: ConfigObject): boolean {
  return obj.metadata?.annotations?.[CONFIG_TRACKING_ANNOTATION]?.startsWith('disable') === true;
}

export function isTrackedSecretType(secret: V1Secret): boolean {
  // The API server defaults an empty type to Opaque; objects built in tests may omit it.
  return TRACKED_SECRET_TYPES.includes(secret.type ?? 'Opaque');
}

export interface TrackedConfig {
  kind: ConfigKind;
  name: string;
  checksum: string;
  object: ConfigObject;
}

export interface ConfigTracking {
  /** The objects whose changes count, and that get `-primary` copies. */
  tracked: TrackedConfig[];
  /** status.trackedConfigs: `configmap/<name>` | `secret/<name>` → checksum. */
  checksums: Record<string, string>;
  /** Keys of tracked objects, i.e. the references to rename in the primary pod spec. */
  renames: Set<string>;
  /** Mandatory references that do not exist: the workload cannot start, an error. */
  missing: ConfigKey[];
  /** Optional references that do not exist: logged and skipped. */
  missingOptional: ConfigKey[];
}

/**
 * Decides which referenced objects are tracked. `resolve` returns the observed object for a
 * reference, or undefined when it does not exist.
 */
export function trackConfigs(
  refs: readonly ConfigRef[],
  resolve: (ref: ConfigRef) => ConfigObject | undefined,
): ConfigTracking {
  const out: ConfigTracking = {
    tracked: [],
    checksums: {},
    renames: new Set(),
    missing: [],
    missingOptional: [],
  };
  for (const ref of refs) {
    const key = configKey(ref.kind, ref.name);
    const object = resolve(ref);
    if (object === undefined) {
      (ref.optional ? out.missingOptional : out.missing).push(key);
      continue;
    }
    if (isTrackingDisabled(object)) continue;
    if (ref.kind === 'secret' && !isTrackedSecretType(object)) continue;
    const checksum = configChecksum(object.data);
    out.tracked.push({ kind: ref.kind, name: ref.name, checksum, object });
    out.checksums[key] = checksum;
    out.renames.add(key);
  }
  return out;
}

/**
 * HaveDependenciesChanged: the tracked set differs in size or in any checksum. Nothing
 * tracked before (undefined) and nothing now is no change.
 */
export function haveConfigsChanged(
  current: Readonly<Record<string, string>>,
  recorded: Readonly<Record<string, string>> | undefined,
): boolean {
  const keys = Object.keys(current);
  if (recorded === undefined) return keys.length > 0;
  if (keys.length !== Object.keys(recorded).length) return true;
  return keys.some((k) => recorded[k] !== current[k]);
}

export interface PrimaryConfigOptions {
  /** The controller owner reference to this Canary. */
  owner: V1OwnerReference;
  includeLabelPrefix: readonly string[];
  /** The existing `-primary` copy, if any: owners from other canaries are kept. */
  existing?: ConfigObject | undefined;
}

/**
 * Several canaries may share one ConfigMap; each then co-owns the copy. Only this canary is
 * the controller; the others stay as plain owners so deleting one canary keeps the copy.
 */
function primaryOwners(opts: PrimaryConfigOptions): V1OwnerReference[] {
  const others = (opts.existing?.metadata?.ownerReferences ?? [])
    .filter((r) => r.kind === opts.owner.kind && r.uid !== opts.owner.uid)
    .map((r) => Object.assign(structuredClone(r), { controller: false }));
  return [opts.owner, ...others];
}

function primaryMeta(source: ConfigObject, opts: PrimaryConfigOptions): V1ObjectMeta {
  const meta: V1ObjectMeta = {
    name: `${source.metadata?.name ?? ''}-primary`,
    labels: includeLabelsByPrefix(source.metadata?.labels, opts.includeLabelPrefix),
    ownerReferences: primaryOwners(opts),
  };
  if (source.metadata?.namespace !== undefined) meta.namespace = source.metadata.namespace;
  return meta;
}

/** The `<name>-primary` copy of a tracked ConfigMap. */
export function desiredPrimaryConfigMap(source: V1ConfigMap, opts: PrimaryConfigOptions): V1ConfigMap {
  const copy: V1ConfigMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: primaryMeta(source, opts) };
  if (source.data !== undefined) copy.data = { ...source.data };
  // Flagger copies `data` only; binaryData is copied too so binary keys reach primary pods.
  if (source.binaryData !== undefined) copy.binaryData = { ...source.binaryData };
  return copy;
}

/** The `<name>-primary` copy of a tracked Secret (same type, same data). */
export function desiredPrimarySecret(source: V1Secret, opts: PrimaryConfigOptions): V1Secret {
  const copy: V1Secret = { apiVersion: 'v1', kind: 'Secret', metadata: primaryMeta(source, opts) };
  if (source.type !== undefined) copy.type = source.type;
  if (source.data !== undefined) copy.data = { ...source.data };
  return copy;
}
