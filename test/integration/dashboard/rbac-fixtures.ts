// Users for the dashboard test: ServiceAccounts with namespaced Roles (a viewer, and a
// promoter who may also write the request ConfigMap), and their TokenRequest tokens —
// exactly what `kubectl create token` hands a person.
import type { TestEnv } from '../../harness/cluster.js';

const READ = ['get', 'list', 'watch'];

export async function userWithRole(env: TestEnv, name: string, canWriteRequests: boolean): Promise<string> {
  const ns = env.namespace;
  await env.kube.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns } });
  await env.kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace: ns },
    rules: [
      { apiGroups: ['flagger.app'], resources: ['canaries'], verbs: READ },
      { apiGroups: [''], resources: ['events'], verbs: READ },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: READ },
      {
        apiGroups: [''],
        resources: ['configmaps'],
        verbs: canWriteRequests ? [...READ, 'create', 'update'] : READ,
      },
    ],
  });
  await env.kube.create({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
  });
  const res = await env.core.createNamespacedServiceAccountToken({
    name,
    namespace: ns,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = res.status?.token;
  if (token === undefined || token === '') throw new Error(`no token for ${name}`);
  return token;
}
