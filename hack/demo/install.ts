// Installs flagger-ts into the demo cluster the way a user would: `helm template` of
// charts/flagger-ts (CRDs, ServiceAccount, least-privilege RBAC, Deployment) and of
// charts/loadtester, applied with kubectl. KWOK nodes run no containers, so the
// Deployments' pods are stand-ins; the real processes run locally with the chart's
// own arguments and — for the operator — the chart ServiceAccount's token, so the
// demo only works if the chart's RBAC is enough.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import { clusterSourceDir } from '../cluster/paths.js';
import type { ClusterState } from '../cluster/state.js';
import { waitEstablished } from '../cluster/wait-established.js';
import { helmBin } from '../tools/paths.js';

export const OPERATOR_NAMESPACE = 'flagger-system';

interface Rendered {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string };
  readonly spec?: { readonly template?: { readonly spec?: { readonly containers?: { args?: string[] }[] } } };
}

function run(bin: string, args: string[], input?: string): string {
  const res = spawnSync(bin, args, { encoding: 'utf8', input, cwd: join(clusterSourceDir, '../..') });
  if (res.error) throw new Error(`${bin}: ${res.error.message} (run 'bash scripts/setup.sh' first)`);
  if (res.status !== 0) throw new Error(`${bin} ${args.slice(0, 3).join(' ')}: ${res.stderr.trim()}`);
  return res.stdout;
}

function helmTemplate(release: string, chart: string, namespace: string, sets: string[]): string {
  const args = ['template', release, chart, '--namespace', namespace, '--include-crds'];
  for (const s of sets) args.push('--set', s);
  return run(helmBin(), args);
}

const documents = (yaml: string): Rendered[] =>
  parseAllDocuments(yaml)
    .map((d) => d.toJS() as Rendered | null)
    .filter((d): d is Rendered => d !== null);

/** A kubeconfig acting as `namespace/serviceAccount`, from a TokenRequest (`kubectl create token`). */
function serviceAccountKubeconfig(c: ClusterState, namespace: string, serviceAccount: string): string {
  const kubectl = (args: string[]): string => run(c.kubectl, ['--kubeconfig', c.kubeconfig, ...args]);
  const token = kubectl(['create', 'token', serviceAccount, '-n', namespace, '--duration=24h']).trim();
  const admin = new KubeConfig();
  admin.loadFromFile(c.kubeconfig);
  const cluster = admin.getCurrentCluster();
  if (!cluster?.caData && !cluster?.caFile) throw new Error('the cluster kubeconfig has no CA');
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'local',
        cluster: {
          server: cluster.server,
          ...(cluster.caData
            ? { 'certificate-authority-data': cluster.caData }
            : { 'certificate-authority': cluster.caFile }),
        },
      },
    ],
    users: [{ name: serviceAccount, user: { token } }],
    contexts: [{ name: 'flagger-ts', context: { cluster: 'local', user: serviceAccount, namespace } }],
    'current-context': 'flagger-ts',
  };
  const path = join(c.dir, `${serviceAccount}.kubeconfig`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

export interface Installed {
  /** Arguments of the chart's operator container (after `controller`). */
  readonly operatorArgs: string[];
  /** Kubeconfig of the chart's ServiceAccount. */
  readonly operatorKubeconfig: string;
  /** Arguments of the load tester chart's container (after `loadtester`). */
  readonly loadtesterArgs: string[];
}

export function installCharts(c: ClusterState, appNamespace: string): Installed {
  const kubectl = (args: string[], input?: string): string =>
    run(c.kubectl, ['--kubeconfig', c.kubeconfig, ...args], input);
  const ensureNamespace = (ns: string): void => {
    kubectl(['apply', '-f', '-'], kubectl(['create', 'namespace', ns, '--dry-run=client', '-o', 'yaml']));
  };
  ensureNamespace(OPERATOR_NAMESPACE);
  const operatorYaml = helmTemplate('flagger-ts', 'charts/flagger-ts', OPERATOR_NAMESPACE, [
    'meshProvider=istio',
    `metricsServer=${c.prometheusUrl}`,
  ]);
  kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], operatorYaml);
  waitEstablished(c, ['crd/canaries.flagger.app']);
  const objects = documents(operatorYaml);
  const sa = objects.find((o) => o.kind === 'ServiceAccount')?.metadata?.name;
  if (sa === undefined) throw new Error('charts/flagger-ts rendered no ServiceAccount');
  const argsOf = (docs: Rendered[], sub: string): string[] => {
    const args = docs.find((o) => o.kind === 'Deployment')?.spec?.template?.spec?.containers?.[0]?.args ?? [];
    if (args[0] !== sub) throw new Error(`the chart's container does not run '${sub}'`);
    return args.slice(1);
  };

  ensureNamespace(appNamespace);
  const loadtesterYaml = helmTemplate('flagger-loadtester', 'charts/loadtester', appNamespace, []);
  kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], loadtesterYaml);
  return {
    operatorArgs: argsOf(objects, 'controller'),
    operatorKubeconfig: serviceAccountKubeconfig(c, OPERATOR_NAMESPACE, sa),
    loadtesterArgs: argsOf(documents(loadtesterYaml), 'loadtester'),
  };
}
