// Knative Serving for real, inside the lane: its own controller, webhook and HPA autoscaler
// (knative.dev/serving) and its Gateway API ingress (knative.dev/net-gateway-api), built from
// the module proxy by hack/knative/build.sh, run as processes against the lane's cluster. Their
// CRDs, ConfigMaps and webhook configurations are the modules' own config/ files at the pinned
// versions, applied from the module cache (never copied into the repo). The lane's Traefik is
// the Gateway: net-gateway-api writes HTTPRoutes for it and probes it before marking the
// Knative Ingress Ready. What differs from a Knative install on a real cluster, and why, is
// written in docs/providers/knative.md; in short:
// - The webhook runs on the lane's loopback; its Service is an ExternalName `127.0.0.1` (the API
//   server dials ExternalName webhooks by name, ClusterIPs have no kube-proxy behind them) and
//   the webhook configurations name its free port.
// - KWOK pods run no queue-proxy, so the KPA autoscaler has no metrics and keeps the activator in
//   the path (no activator either): the HPA class (`pod-autoscaler-class`) with min-scale 1 is
//   used, which puts the revision's pods directly behind its Service.
// - The prober of net-gateway-api needs a non-loopback address of the Gateway: a TCP relay on
//   10.244.255.254 (local inside the lane, outside every KWOK node's pod range) forwards to
//   Traefik's loopback entryPoint.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { freePort, startDetached, tailOf } from '../../../hack/cluster/proc.js';
import type { ClusterState } from '../../../hack/cluster/state.js';
import {
  knativeBin,
  knativeBuildScript,
  knativeModule,
  knativeServingVersion,
  netGatewayApiVersion,
  type KnativeBinary,
} from '../../../hack/knative/paths.js';
import { eventually, localCluster } from '../../harness/cluster.js';
import { kubectl, waitEstablished } from '../../harness/kubectl.js';
import { laneRouter, laneState } from '../../harness/lane/state.js';
import { applyThirdPartyCrds, goModuleDir } from '../../harness/third-party-crds.js';

/** Routes are `<namespace>.<service>.knative.lane`, so the pod-server keeps other namespaces' requests out. */
export const KNATIVE_DOMAIN = 'knative.lane';
export const knativeHost = (namespace: string, service: string): string =>
  `${namespace}.${service}.${KNATIVE_DOMAIN}`;

const SYSTEM_NAMESPACE = 'knative-serving';
/** Local inside the lane (10.244.0.0/16 is), never a KWOK pod's address (node pod ranges are /24s from 10.244.0.0). */
const GATEWAY_RELAY_IP = '10.244.255.254';

const BINARIES: readonly KnativeBinary[] = ['controller', 'webhook', 'autoscaler-hpa', 'net-gateway-api'];

/** Why Knative cannot run in this lane (binaries not built), or undefined. */
export function knativeUnavailable(): string | undefined {
  const missing = BINARIES.map((b) => knativeBin(b)).filter((p) => !existsSync(p));
  if (missing.length === 0) return undefined;
  return `Knative Serving ${knativeServingVersion()} / net-gateway-api ${netGatewayApiVersion()} not built (${missing.join(', ')}); run: bash ${knativeBuildScript()}`;
}

type Obj = Record<string, unknown> & { kind?: string; metadata?: Record<string, unknown> };

function yamlObjects(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJSON() as unknown)
    .filter((o): o is Obj => typeof o === 'object' && o !== null && 'kind' in o);
}

const yamlFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));

function apply(cluster: ClusterState, objects: Obj[], serverSide = false): void {
  const args = serverSide ? ['apply', '--server-side', '--force-conflicts', '-f', '-'] : ['apply', '-f', '-'];
  kubectl(cluster, args, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
}

/** The ConfigMaps as Knative ships them, with the lane's settings merged into `data`. */
function configMaps(serving: string, networking: string, gatewayApi: string, gateway: Gateway): Obj[] {
  const settings: Record<string, Record<string, string>> = {
    // KWOK pulls nothing: any image reference works, none is resolved to a digest (dev.local is
    // in the default registries-skipping-tag-resolving).
    'config-deployment': { 'queue-sidecar-image': `dev.local/knative/queue:${knativeServingVersion()}` },
    'config-network': {
      'ingress-class': 'gateway-api.ingress.networking.knative.dev',
      'domain-template': '{{.Namespace}}.{{.Name}}.{{.Domain}}',
    },
    'config-domain': { [KNATIVE_DOMAIN]: '' },
    'config-autoscaler': { 'pod-autoscaler-class': 'hpa.autoscaling.knative.dev' },
    'config-gateway': {
      'external-gateways': gatewayConfig(gateway),
      'local-gateways': gatewayConfig(gateway),
    },
  };
  const files = [
    ...yamlFiles(join(serving, 'config/core/configmaps')),
    join(networking, 'config/config-network.yaml'),
    join(gatewayApi, 'config/config-gateway.yaml'),
  ];
  return files.flatMap(yamlObjects).map((cm) => {
    const name = String(cm.metadata?.['name']);
    const data = { ...((cm['data'] ?? {}) as Record<string, string>), ...settings[name] };
    return { ...cm, data };
  });
}

interface Gateway {
  readonly name: string;
  readonly namespace: string;
  /** The lane's Traefik entryPoint port (the Gateway listener's port). */
  readonly port: number;
}

const gatewayConfig = (g: Gateway): string =>
  `- class: traefik\n  gateway: ${g.namespace}/${g.name}\n  service: ${SYSTEM_NAMESPACE}/lane-gateway\n`;

/** A TCP relay from GATEWAY_RELAY_IP:port to Traefik's loopback entryPoint (what kube-proxy would do). */
async function startRelay(port: number): Promise<Server> {
  const server = createServer((inbound) => {
    const outbound = connect(port, '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    const close = (): void => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', close);
    outbound.on('error', close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, GATEWAY_RELAY_IP, resolve);
  });
  server.unref();
  return server;
}

function startKnativeProcess(
  cluster: ClusterState,
  name: string,
  bin: KnativeBinary,
  env: Record<string, string>,
): void {
  const p = startDetached(name, knativeBin(bin), [], join(cluster.dir, 'logs', `${name}.log`), {
    ...process.env,
    KUBECONFIG: cluster.kubeconfig,
    SYSTEM_NAMESPACE,
    POD_NAME: `${name}-lane`,
    CONFIG_LOGGING_NAME: 'config-logging',
    CONFIG_OBSERVABILITY_NAME: 'config-observability',
    ...env,
  });
  // `down` of the lane's cluster stops what has a PID file in its directory.
  writeFileSync(join(cluster.dir, `${name}.pid`), String(p.pid));
}

/**
 * Free ports for a process's metrics and profiling servers (Knative's defaults, 9090 and 8008,
 * would clash between processes sharing the lane's network). The health-probe port, 8080, is
 * fixed in knative.dev/pkg: the first process gets it, the others log nothing and run on.
 */
const ports = async (): Promise<Record<string, string>> => ({
  METRICS_PROMETHEUS_PORT: String(await freePort()),
  PROFILING_PORT: String(await freePort()),
});

export interface KnativeInstall {
  readonly cluster: ClusterState;
  /** Where requests for Knative routes go: the lane's Traefik. */
  readonly gatewayUrl: string;
  readonly traefikAdminUrl: string;
  /** Log files of the Knative processes, for messages. */
  readonly logs: readonly string[];
}

async function install(): Promise<KnativeInstall> {
  const unavailable = knativeUnavailable();
  if (unavailable !== undefined) throw new Error(unavailable);
  const lane = laneState();
  const traefik = laneRouter('traefik');
  if (lane.gateway === undefined || traefik.adminUrl === undefined) {
    throw new Error('the lane has no Traefik Gateway (Traefik did not start)');
  }
  const gateway: Gateway = lane.gateway;
  const cluster = await localCluster();
  const [serving, networking, caching, gatewayApi] = await Promise.all(
    [
      'knative.dev/serving',
      'knative.dev/networking',
      'knative.dev/caching',
      'knative.dev/net-gateway-api',
    ].map((m) => goModuleDir(knativeModule(m))),
  );
  if (!serving || !networking || !caching || !gatewayApi) throw new Error('knative module directories');

  // The Gateway API CRDs are the lane's (Traefik serves them already).
  await applyThirdPartyCrds(cluster, 'gatewayapi');
  const crdFiles = [
    ...yamlFiles(join(serving, 'config/core/300-resources')),
    ...['certificate', 'domain-claim', 'ingress', 'serverlessservice'].map((f) =>
      join(networking, `config/${f}.yaml`),
    ),
    join(caching, 'config/image.yaml'),
  ];
  apply(cluster, yamlObjects(join(serving, 'config/core/100-namespace.yaml')));
  apply(cluster, crdFiles.flatMap(yamlObjects), true);
  waitEstablished(
    cluster,
    crdFiles.flatMap((f) => ['-f', f]),
  );
  apply(cluster, configMaps(serving, networking, gatewayApi, gateway));

  // Services of Knative's manifests whose Deployments do not run here: the activator's (the
  // ServerlessService reconciler reads its Endpoints even when the activator is not in the path),
  // and the webhook's, made an ExternalName for the API server to reach the local process.
  const activator = yamlObjects(join(serving, 'config/core/deployments/activator.yaml')).filter(
    (o) => o.kind === 'Service',
  );
  const webhookPort = await freePort();
  apply(cluster, [
    ...activator,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'webhook', namespace: SYSTEM_NAMESPACE },
      spec: { type: 'ExternalName', externalName: '127.0.0.1' },
    },
    // What net-gateway-api probes: the Gateway's "pods", i.e. the relay to Traefik.
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'lane-gateway', namespace: SYSTEM_NAMESPACE },
      spec: { ports: [{ name: 'http', port: gateway.port, targetPort: gateway.port }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'lane-gateway', namespace: SYSTEM_NAMESPACE },
      subsets: [{ addresses: [{ ip: GATEWAY_RELAY_IP }], ports: [{ name: 'http', port: gateway.port }] }],
    },
  ]);
  await startRelay(gateway.port);

  startKnativeProcess(cluster, 'knative-webhook', 'webhook', {
    WEBHOOK_NAME: 'webhook',
    WEBHOOK_PORT: String(webhookPort),
    METRICS_DOMAIN: 'knative.dev/serving',
    ...(await ports()),
  });
  // Knative's webhook configurations, pointed at the webhook's port; the webhook fills in
  // their caBundle (and rules) itself.
  const webhooks = yamlFiles(join(serving, 'config/core/webhooks'))
    .flatMap(yamlObjects)
    .map((o) => {
      if (!Array.isArray(o['webhooks'])) return o;
      const hooks = (o['webhooks'] as Record<string, unknown>[]).map((w) => {
        const cc = (w['clientConfig'] ?? {}) as Record<string, unknown>;
        const svc = (cc['service'] ?? {}) as Record<string, unknown>;
        return { ...w, clientConfig: { ...cc, service: { ...svc, port: webhookPort } } };
      });
      return { ...o, webhooks: hooks };
    });
  apply(cluster, webhooks);

  startKnativeProcess(cluster, 'knative-controller', 'controller', {
    METRICS_DOMAIN: 'knative.dev/internal/serving',
    ...(await ports()),
  });
  startKnativeProcess(cluster, 'knative-autoscaler-hpa', 'autoscaler-hpa', {
    METRICS_DOMAIN: 'knative.dev/serving',
    ...(await ports()),
  });
  startKnativeProcess(cluster, 'knative-net-gateway-api', 'net-gateway-api', {
    METRICS_DOMAIN: 'knative.dev/net-gateway-api',
    ...(await ports()),
  });
  const logs = [
    'knative-webhook',
    'knative-controller',
    'knative-autoscaler-hpa',
    'knative-net-gateway-api',
  ].map((n) => join(cluster.dir, 'logs', `${n}.log`));

  // Ready when the webhook defaults and validates a Knative Service (server-side dry run).
  const probe = JSON.stringify({
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name: 'webhook-probe', namespace: 'default' },
    spec: { template: { spec: { containers: [{ image: 'dev.local/probe:1' }] } } },
  });
  await eventually(
    "Knative's webhook admitting a Knative Service",
    () => {
      kubectl(cluster, ['create', '--dry-run=server', '-f', '-'], probe);
      return true;
    },
    90_000,
  ).catch((err: unknown) => {
    throw new Error(`${String(err)}\n${logs[0] ?? ''}:\n${tailOf(logs[0] ?? '', 20)}`);
  });
  return { cluster, gatewayUrl: traefik.url, traefikAdminUrl: traefik.adminUrl, logs };
}

let installed: Promise<KnativeInstall> | undefined;

/** Installs and starts Knative Serving in the lane once per process (the tests of a file share it). */
export function knativeServing(): Promise<KnativeInstall> {
  installed ??= install();
  return installed;
}
