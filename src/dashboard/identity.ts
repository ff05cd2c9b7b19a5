// Who the user is and what the API server lets them do, always decided by Kubernetes:
// TokenReview for a pasted token (asked with the dashboard's own identity), a
// SelfSubjectReview for the local kubeconfig user, and SelfSubjectAccessReview (asked
// with the user's own credentials) only as a hint for the page — every read and write
// is made with the user's credentials, so the API server's RBAC is the real decision.
import { KubeConfig } from '@kubernetes/client-node';
import { isRecord } from '../kube/json.js';
import { postReview } from './kube-post.js';
import type { Identity } from './sessions.js';

function userInfoOf(status: unknown): Identity | undefined {
  if (!isRecord(status)) return undefined;
  const user = status['userInfo'] ?? status['user'];
  if (!isRecord(user) || typeof user['username'] !== 'string' || user['username'] === '') return undefined;
  const groups = Array.isArray(user['groups'])
    ? user['groups'].filter((g): g is string => typeof g === 'string')
    : [];
  return { username: user['username'], groups };
}

/** Validates a bearer token with the API server; undefined when it is not authenticated. */
export async function reviewToken(server: KubeConfig, token: string): Promise<Identity | undefined> {
  const res = await postReview(server, '/apis/authentication.k8s.io/v1/tokenreviews', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenReview',
    spec: { token },
  });
  const status = isRecord(res) ? res['status'] : undefined;
  if (!isRecord(status) || status['authenticated'] !== true) return undefined;
  return userInfoOf(status);
}

/** The kubeconfig user's name as the API server sees it. */
export async function whoAmI(kc: KubeConfig): Promise<Identity | undefined> {
  const res = await postReview(kc, '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'SelfSubjectReview',
  });
  return isRecord(res) ? userInfoOf(res['status']) : undefined;
}

/** A KubeConfig for the same cluster (server, CA) that authenticates with `token` only. */
export function tokenKubeConfig(base: KubeConfig, token: string): KubeConfig {
  const cluster = base.getCurrentCluster();
  if (cluster === null) throw new Error('the dashboard kubeconfig has no current cluster');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ ...cluster, name: 'cluster' }],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'user', cluster: 'cluster', user: 'user' }],
    currentContext: 'user',
  });
  return kc;
}

/** May the user create the request ConfigMap in `namespace`? A hint only: the write decides. */
export async function mayWriteRequests(kc: KubeConfig, namespace: string): Promise<boolean> {
  try {
    const res = await postReview(kc, '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { namespace, verb: 'create', resource: 'configmaps' } },
    });
    return isRecord(res) && isRecord(res['status']) && res['status']['allowed'] === true;
  } catch {
    return false;
  }
}
