// The Kubernetes objects the Kuma lane applies as a user or Kuma's Helm chart would: kuma-cp's
// admission webhooks, the default mesh's settings, the client's HTTP/1.1 ProxyTemplate and the
// client pod. Pure builders; test/harness/lane/routers/kuma.ts applies them.

type Json = Record<string, unknown>;

/** The lane cluster's Service range (hack/cluster/components.ts, --service-cluster-ip-range). */
export const SERVICE_CIDR = '10.96.0.0/16';
export const KUMA_SYSTEM = 'kuma-system';
export const CLIENT_NAMESPACE = 'kuma-lane';
export const CLIENT = 'lane-client';
export const CONTROL_PLANE_POD = 'kuma-control-plane';
export const DRAIN_SECONDS = 2;

/**
 * Kuma's webhooks as its Helm chart (cp-webhooks-and-secrets.yaml) registers them, addressed by
 * URL instead of through the kuma-control-plane Service (kuma-cp runs beside the API server).
 */
export function webhookConfigurations(port: number, caPem: string): unknown[] {
  const clientConfig = (path: string): Json => ({
    url: `https://127.0.0.1:${port}${path}`,
    caBundle: Buffer.from(caPem).toString('base64'),
  });
  const podCreate = [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }];
  const common = { admissionReviewVersions: ['v1'], sideEffects: 'None' };
  const policies = [
    'circuitbreakers',
    'externalservices',
    'faultinjections',
    'healthchecks',
    'meshgateways',
    'meshgatewayroutes',
    'proxytemplates',
    'ratelimits',
    'retries',
    'timeouts',
    'trafficlogs',
    'trafficpermissions',
    'trafficroutes',
    'traffictraces',
    'virtualoutbounds',
  ];
  return [
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: 'kuma-admission-mutating-webhook-configuration' },
      webhooks: [
        {
          ...common,
          name: 'mesh.defaulter.kuma-admission.kuma.io',
          failurePolicy: 'Fail',
          clientConfig: clientConfig('/default-kuma-io-v1alpha1-mesh'),
          rules: [
            {
              apiGroups: ['kuma.io'],
              apiVersions: ['v1alpha1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['meshes'],
            },
          ],
        },
        {
          ...common,
          name: 'owner-reference.kuma-admission.kuma.io',
          failurePolicy: 'Fail',
          clientConfig: clientConfig('/owner-reference-kuma-io-v1alpha1'),
          rules: [
            {
              apiGroups: ['kuma.io'],
              apiVersions: ['v1alpha1'],
              operations: ['CREATE'],
              resources: policies,
            },
          ],
        },
        {
          ...common,
          name: 'namespace-kuma-injector.kuma.io',
          failurePolicy: 'Fail',
          namespaceSelector: { matchLabels: { 'kuma.io/sidecar-injection': 'enabled' } },
          clientConfig: clientConfig('/inject-sidecar'),
          rules: podCreate,
        },
        {
          ...common,
          name: 'pods-kuma-injector.kuma.io',
          failurePolicy: 'Fail',
          objectSelector: { matchLabels: { 'kuma.io/sidecar-injection': 'enabled' } },
          clientConfig: clientConfig('/inject-sidecar'),
          rules: podCreate,
        },
      ],
    },
    {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'kuma-validating-webhook-configuration' },
      webhooks: [
        {
          ...common,
          name: 'validator.kuma-admission.kuma.io',
          failurePolicy: 'Fail',
          clientConfig: clientConfig('/validate-kuma-io-v1alpha1'),
          rules: [
            {
              apiGroups: ['kuma.io'],
              apiVersions: ['v1alpha1'],
              operations: ['CREATE', 'UPDATE', 'DELETE'],
              resources: ['meshes', 'dataplanes', ...policies],
            },
          ],
        },
      ],
    },
  ];
}

/**
 * The default mesh as a user configures it for Flagger: mTLS off (the default), Prometheus
 * metrics on (each data plane serves its Envoy stats on :5670/metrics, listed by kuma-cp's
 * monitoring assignment service), and no passthrough, so a request for an address Kuma does
 * not know is refused instead of being sent back into the redirected Service range.
 */
export const MESH_SPEC = {
  networking: { outbound: { passthrough: false } },
  metrics: {
    enabledBackend: 'prometheus-1',
    backends: [
      { name: 'prometheus-1', type: 'prometheus', conf: { port: 5670, path: '/metrics', skipMTLS: true } },
    ],
  },
};

/**
 * Kuma sends HTTP/2 from one data plane to the next (every in-mesh cluster gets
 * http2_protocol_options, whatever the service's protocol): the receiving pod's sidecar speaks
 * it and hands HTTP/1.1 to the app. The lane's backend pods have no sidecar, and the
 * pod-server speaks HTTP/1.1 only, so the client's outbound clusters are switched to HTTP/1.1
 * with Kuma's own ProxyTemplate policy (kuma-cp renders it into the xDS it sends). It matches
 * the client's data plane only and changes nothing else (routes, weights, stats).
 */
export function http1ToBackends(): unknown {
  return {
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'ProxyTemplate',
    mesh: 'default',
    metadata: { name: 'lane-client-http1-upstreams' },
    spec: {
      selectors: [{ match: { 'kuma.io/service': `${CLIENT}_${CLIENT_NAMESPACE}_svc_80` } }],
      conf: {
        imports: ['default-proxy'],
        modifications: [
          {
            cluster: {
              operation: 'patch',
              match: { origin: 'outbound' },
              value: [
                'typedExtensionProtocolOptions:',
                '  envoy.extensions.upstreams.http.v3.HttpProtocolOptions:',
                "    '@type': type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                '    explicitHttpConfig:',
                '      httpProtocolOptions: {}',
                '',
              ].join('\n'),
            },
          },
        ],
      },
    },
  };
}

/** The client pod: a Service and a Pod in an injection-enabled namespace, as any meshed app. */
export function clientObjects(): unknown[] {
  const labels = { app: CLIENT };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: CLIENT_NAMESPACE, labels: { 'kuma.io/sidecar-injection': 'enabled' } },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: CLIENT, namespace: CLIENT_NAMESPACE },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      // Kuma 1.8 puts the routes inline in each outbound listener, so a new weight is a new
      // listener: connections already open keep the old one's routes until Envoy has drained
      // it (--drain-time-s, from this annotation; 30 s by default).
      metadata: {
        name: CLIENT,
        namespace: CLIENT_NAMESPACE,
        labels,
        annotations: { 'kuma.io/sidecar-drain-time': `${DRAIN_SECONDS}s` },
      },
      spec: {
        containers: [{ name: 'client', image: 'lane/client:1', ports: [{ containerPort: 8080 }] }],
      },
    },
  ];
}
