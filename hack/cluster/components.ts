// Command lines of each control-plane process, loopback only. The flags follow
// the envtest/kwokctl recipes in ../shared/design/local-control-plane.md.
import { join } from 'node:path';
import { clusterSourceDir, type BinPaths } from './paths.js';
import { FRONT_PROXY_CLIENT_NAME, type Pki } from './pki.js';

export interface Ports {
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly apiserver: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  readonly kwok: number;
  readonly prometheus: number;
}

export interface Component {
  readonly name: string;
  readonly bin: string;
  readonly args: string[];
  readonly env?: NodeJS.ProcessEnv;
}

const ALLOW_HEALTH = '--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics';

export function etcd(bins: BinPaths, dir: string, ports: Ports): Component {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return {
    name: 'etcd',
    bin: bins.etcd,
    args: [
      '--name=node0',
      `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=node0=${peer}`,
      // Test data is throwaway: skipping fsync makes the API server several times faster.
      '--unsafe-no-fsync=true',
      '--auto-compaction-retention=1',
      '--log-level=warn',
    ],
  };
}

export function apiserver(bins: BinPaths, dir: string, ports: Ports, pki: Pki): Component {
  return {
    name: 'kube-apiserver',
    bin: bins.kubeApiserver,
    args: [
      `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
      '--bind-address=127.0.0.1',
      // No default route on this machine: the advertise address must be given,
      // and a loopback one needs the endpoint reconciler off.
      '--advertise-address=127.0.0.1',
      '--endpoint-reconciler-type=none',
      `--secure-port=${ports.apiserver}`,
      '--service-cluster-ip-range=10.96.0.0/16',
      `--tls-cert-file=${pki.apiserverCert}`,
      `--tls-private-key-file=${pki.apiserverKey}`,
      `--client-ca-file=${pki.caCert}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`,
      `--service-account-signing-key-file=${pki.saKey}`,
      '--authorization-mode=RBAC',
      '--allow-privileged=true',
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      // Tests create many objects quickly on 2 cores; the default flow control throttles them.
      '--enable-priority-and-fairness=false',
      '--max-requests-inflight=0',
      '--max-mutating-requests-inflight=0',
      // The aggregation layer (APIService → an aggregated API such as an external metrics
      // adapter) authenticates to the aggregated server with this client certificate and
      // passes the caller's identity in these headers.
      `--requestheader-client-ca-file=${pki.frontProxyCaCert}`,
      `--requestheader-allowed-names=${FRONT_PROXY_CLIENT_NAME}`,
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--proxy-client-cert-file=${pki.frontProxyClientCert}`,
      `--proxy-client-key-file=${pki.frontProxyClientKey}`,
    ],
  };
}

function clientFlags(kubeconfig: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    '--bind-address=127.0.0.1',
    ALLOW_HEALTH,
    '--kube-api-qps=500',
    '--kube-api-burst=1000',
  ];
}

export function controllerManager(bins: BinPaths, kubeconfig: string, ports: Ports, pki: Pki): Component {
  return {
    name: 'kube-controller-manager',
    bin: bins.kubeControllerManager,
    args: [
      ...clientFlags(kubeconfig),
      `--secure-port=${ports.controllerManager}`,
      `--root-ca-file=${pki.caCert}`,
      `--service-account-private-key-file=${pki.saKey}`,
      '--use-service-account-credentials=false',
    ],
  };
}

export function scheduler(bins: BinPaths, kubeconfig: string, ports: Ports): Component {
  return {
    name: 'kube-scheduler',
    bin: bins.kubeScheduler,
    args: [...clientFlags(kubeconfig), `--secure-port=${ports.scheduler}`],
  };
}

/** Stages taken from KWOK's module (copied into the binary cache at `up`). */
export const KWOK_STAGES = [
  'node-initialize.yaml',
  'node-heartbeat-with-lease.yaml',
  'pod-ready.yaml',
  'pod-complete.yaml',
];

/** Our own stages, in hack/cluster/kwok-stages (pod deletion that can model a draining pod). */
export const OWN_KWOK_STAGES = ['pod-delete.yaml'];

export function kwok(bins: BinPaths, dir: string, kubeconfig: string, ports: Ports): Component {
  const stages = [
    ...KWOK_STAGES.map((f) => join(bins.kwokDir, 'stages', f)),
    ...OWN_KWOK_STAGES.map((f) => join(clusterSourceDir, 'kwok-stages', f)),
  ].join(',');
  return {
    name: 'kwok',
    bin: bins.kwok,
    args: [
      `--kubeconfig=${kubeconfig}`,
      '--manage-all-nodes=true',
      `--config=${stages}`,
      // Must match the with-lease heartbeat stage, or nodes go NotReady after ~50s.
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.0/16',
      '--node-ip=10.240.0.1',
      `--server-address=127.0.0.1:${ports.kwok}`,
    ],
    // A stray ~/.kwok/kwok.yaml would be merged into the config.
    env: { ...process.env, HOME: dir },
  };
}

export function prometheus(dir: string, ports: Ports): Component {
  return {
    name: 'prometheus',
    bin: '/usr/bin/prometheus',
    args: [
      `--config.file=${join(dir, 'prometheus', 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'prometheus', 'data')}`,
      `--web.listen-address=127.0.0.1:${ports.prometheus}`,
      '--web.enable-lifecycle',
      '--storage.tsdb.retention.time=2h',
      '--log.level=warn',
    ],
  };
}

/** Scrape targets are files in targets/: tests drop a JSON file and Prometheus picks it up. */
export function prometheusConfig(dir: string): string {
  return [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: local-targets',
    '    honor_labels: true',
    '    file_sd_configs:',
    `      - files: ['${join(dir, 'prometheus', 'targets')}/*.json']`,
    '        refresh_interval: 1s',
    '',
  ].join('\n');
}
