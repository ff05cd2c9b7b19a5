// Acting as a ServiceAccount on the real cluster: a kubeconfig built from a TokenRequest
// token plus the cluster's CA and server (taken from the harness kubeconfig), and
// SelfSubjectAccessReviews asked with that identity.
import * as k8s from '@kubernetes/client-node';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { stringify } from 'yaml';
import type { TestEnv } from '../../harness/cluster.js';

export interface ServiceAccountIdentity {
  readonly kubeconfigPath: string;
  readonly kc: k8s.KubeConfig;
  readonly user: string;
}

/** A kubeconfig file for `namespace/name`, removed when the test ends. */
export async function serviceAccountKubeconfig(
  t: TestContext,
  env: TestEnv,
  namespace: string,
  name: string,
): Promise<ServiceAccountIdentity> {
  const res = await env.core.createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = res.status?.token;
  if (token === undefined || token === '') throw new Error(`TokenRequest for ${namespace}/${name}: no token`);
  const cluster = env.kc.getCurrentCluster();
  if (!cluster) throw new Error('harness kubeconfig has no current cluster');
  const caData =
    cluster.caData ?? (cluster.caFile ? readFileSync(cluster.caFile).toString('base64') : undefined);
  if (caData === undefined) throw new Error('harness kubeconfig has no cluster CA');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: cluster.server, 'certificate-authority-data': caData } }],
    users: [{ name, user: { token } }],
    contexts: [{ name: 'sa', context: { cluster: 'local', user: name, namespace } }],
    'current-context': 'sa',
  };
  const dir = mkdtempSync(join(tmpdir(), 'sa-kubeconfig-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const kubeconfigPath = join(dir, 'kubeconfig');
  writeFileSync(kubeconfigPath, stringify(config), { mode: 0o600 });
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  return { kubeconfigPath, kc, user: `system:serviceaccount:${namespace}:${name}` };
}

export interface Access {
  readonly verb: string;
  readonly resource: string;
  readonly group?: string;
  readonly subresource?: string;
  /** Omitted: cluster-wide (all namespaces, or a cluster-scoped kind). */
  readonly namespace?: string;
  readonly name?: string;
}

export const describeAccess = (a: Access): string =>
  `${a.verb} ${a.group ? `${a.group}/` : ''}${a.resource}${a.subresource ? `/${a.subresource}` : ''}` +
  (a.namespace === undefined ? ' (cluster-wide)' : ` in ${a.namespace}`);

/** Asks the API server, as the identity itself, whether it may do `a`. */
export async function can(id: ServiceAccountIdentity, a: Access): Promise<boolean> {
  const api = id.kc.makeApiClient(k8s.AuthorizationV1Api);
  const res = await api.createSelfSubjectAccessReview({
    body: {
      spec: {
        resourceAttributes: {
          verb: a.verb,
          resource: a.resource,
          group: a.group ?? '',
          ...(a.subresource === undefined ? {} : { subresource: a.subresource }),
          ...(a.namespace === undefined ? {} : { namespace: a.namespace }),
          ...(a.name === undefined ? {} : { name: a.name }),
        },
      },
    },
  });
  return res.status?.allowed === true;
}

/** Checks every access; the message lists all mismatches at once. */
export async function expectAccess(
  id: ServiceAccountIdentity,
  allowed: readonly Access[],
  denied: readonly Access[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const a of allowed)
    if (!(await can(id, a))) problems.push(`${id.user} should be allowed to ${describeAccess(a)}`);
  for (const a of denied)
    if (await can(id, a)) problems.push(`${id.user} must not be allowed to ${describeAccess(a)}`);
  return problems;
}
