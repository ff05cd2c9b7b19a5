// An aggregated API server for external.metrics.k8s.io/v1beta1, registered in the local
// kube-apiserver with an APIService, so the `externalmetrics` provider is tested through the
// real aggregation layer: the API server authenticates the operator, authorises it with
// RBAC, and proxies to this server with its front-proxy client certificate and the caller's
// identity in X-Remote-User — exactly what a KEDA or prometheus-adapter deployment gets
// (neither builds here: their modules are not served by the Go module proxy).
// The server checks that front-proxy certificate against the request-header CA the API
// server publishes in kube-system/extension-apiserver-authentication, as real adapters do.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { makeCa, signLeaf } from '../../../hack/cluster/pki.js';
import { eventually } from '../../harness/cluster.js';
import type { KubeClient } from '../../../src/kube/client.js';

const GROUP = 'external.metrics.k8s.io';
const GV = `/apis/${GROUP}/v1beta1`;
export const APISERVICE_NAME = `v1beta1.${GROUP}`;

export interface AdapterCall {
  readonly user: string;
  readonly namespace: string;
  readonly metric: string;
  readonly labelSelector: string;
}

export interface ExternalMetricsAdapter {
  /** Current value per metric name, as a resource.Quantity string ("250m", "3"). */
  readonly values: Map<string, string>;
  readonly calls: AdapterCall[];
  /** Requests refused because the client certificate was not the API server's front proxy. */
  readonly refused: string[];
  close(): Promise<void>;
}

interface RequestHeaderAuth {
  readonly ca: string;
  readonly allowedNames: readonly string[];
}

async function requestHeaderAuth(kube: KubeClient): Promise<RequestHeaderAuth> {
  const cm = await kube.get({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    namespace: 'kube-system',
    name: 'extension-apiserver-authentication',
  });
  const data = (cm?.['data'] ?? {}) as Record<string, string>;
  const ca = data['requestheader-client-ca-file'];
  if (ca === undefined)
    throw new Error(
      'the API server publishes no request-header CA: it runs without --requestheader-client-ca-file (hack/cluster/components.ts)',
    );
  return { ca, allowedNames: JSON.parse(data['requestheader-allowed-names'] ?? '[]') as string[] };
}

function json(res: import('node:http').ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/**
 * Starts the adapter on loopback and registers it: an ExternalName Service in `namespace`
 * pointing at 127.0.0.1 and the cluster-wide APIService (removed by `close`). Resolves once
 * the API server reports the APIService Available.
 */
export async function startExternalMetricsAdapter(
  kube: KubeClient,
  namespace: string,
): Promise<ExternalMetricsAdapter> {
  const auth = await requestHeaderAuth(kube);
  const service = 'external-metrics';
  const dir = mkdtempSync(join(tmpdir(), 'xm-adapter-'));
  makeCa(dir, 'serving-ca', 'external-metrics-test-ca');
  signLeaf(
    dir,
    'serving',
    `/CN=${service}.${namespace}.svc`,
    `subjectAltName=DNS:${service}.${namespace}.svc\nextendedKeyUsage=serverAuth\n`,
    'serving-ca',
  );
  const values = new Map<string, string>();
  const calls: AdapterCall[] = [];
  const refused: string[] = [];
  const server: Server = createServer(
    {
      key: readFileSync(join(dir, 'serving.key')),
      cert: readFileSync(join(dir, 'serving.crt')),
      ca: auth.ca,
      requestCert: true,
      rejectUnauthorized: false, // checked below, so a refusal is recorded rather than a bare TLS error
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      // Without a client certificate node returns {}: no subject at all.
      const subject = socket.getPeerCertificate().subject as PeerCertificate['subject'] | undefined;
      const cn = subject?.CN;
      const name = Array.isArray(cn) ? cn.join(',') : (cn ?? '');
      if (!socket.authorized || (auth.allowedNames.length > 0 && !auth.allowedNames.includes(name))) {
        refused.push(`${req.url ?? ''}: client ${name || 'without certificate'}`);
        json(res, 401, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 401 });
        return;
      }
      const url = new URL(req.url ?? '/', 'https://adapter');
      if (url.pathname === GV) {
        json(res, 200, {
          kind: 'APIResourceList',
          apiVersion: 'v1',
          groupVersion: `${GROUP}/v1beta1`,
          resources: [...values.keys()].map((m) => ({
            name: m,
            singularName: '',
            namespaced: true,
            kind: 'ExternalMetricValueList',
            verbs: ['get'],
          })),
        });
        return;
      }
      const m = new RegExp(`^${GV}/namespaces/([^/]+)/([^/]+)$`).exec(url.pathname);
      if (m === null) {
        json(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404 });
        return;
      }
      const [, ns = '', metric = ''] = m.map(decodeURIComponent);
      const user = req.headers['x-remote-user'];
      calls.push({
        user: typeof user === 'string' ? user : '',
        namespace: ns,
        metric,
        labelSelector: url.searchParams.get('labelSelector') ?? '',
      });
      const value = values.get(metric);
      if (value === undefined) {
        json(res, 404, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          reason: 'NotFound',
          message: `the server could not find the metric ${metric} for namespaces`,
          code: 404,
        });
        return;
      }
      json(res, 200, {
        kind: 'ExternalMetricValueList',
        apiVersion: `${GROUP}/v1beta1`,
        metadata: {},
        items: [{ metricName: metric, metricLabels: {}, timestamp: new Date().toISOString(), value }],
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await kube.create({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service, namespace },
    // The API server runs on the host, outside any pod network: an ExternalName to loopback
    // is how the aggregator reaches a server there (it dials externalName:port).
    spec: { type: 'ExternalName', externalName: '127.0.0.1', ports: [{ port, protocol: 'TCP' }] },
  });
  const apiServiceRef = {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    name: APISERVICE_NAME,
  };
  await kube.delete(apiServiceRef);
  await kube.create({
    ...apiServiceRef,
    metadata: { name: APISERVICE_NAME },
    spec: {
      group: GROUP,
      version: 'v1beta1',
      service: { name: service, namespace, port },
      caBundle: readFileSync(join(dir, 'serving-ca.crt')).toString('base64'),
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  });
  await eventually(
    `APIService ${APISERVICE_NAME} Available`,
    async () => {
      const a = await kube.get(apiServiceRef);
      const conds =
        (a?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
      return conds.some((c) => c.type === 'Available' && c.status === 'True') ? true : undefined;
    },
    60_000,
  );
  return {
    values,
    calls,
    refused,
    async close() {
      await kube.delete(apiServiceRef).catch(() => false);
      await new Promise<void>((r) => {
        server.close(() => {
          r();
        });
        server.closeAllConnections();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
