// The Helm charts: `helm lint --strict`, then `helm template` for the value variants
// the README documents, checked against what the operator and load tester expect.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findObject, helmBin, helmTemplate, kindsOf, run } from './tools.js';
import {
  bindingOf,
  container,
  deploymentSpec,
  grants,
  rulesOf,
  serviceSpec,
  type PolicyRule,
} from './views.js';

const NS = 'flagger-system';

test('helm lint --strict passes for both charts', () => {
  for (const chart of ['charts/flagger-ts', 'charts/loadtester']) {
    const res = run(helmBin(), ['lint', '--strict', chart]);
    assert.equal(res.status, 0, `${chart}: ${res.stdout}${res.stderr}`);
    assert.match(res.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  }
});

test('helm lint rejects values the schema forbids', () => {
  const res = run(helmBin(), ['lint', 'charts/flagger-ts', '--set', 'logLevel=verbose']);
  assert.notEqual(res.status, 0);
  assert.match(res.stdout + res.stderr, /logLevel/);
});

test('default values: ClusterRole, one replica, probes, read-only root, Flagger flags', () => {
  const objs = helmTemplate('flagger-ts', {
    release: 'flagger-ts',
    namespace: NS,
    values: { meshProvider: 'istio', metricsServer: 'http://prometheus.istio-system:9090' },
    includeCrds: true,
  });
  assert.deepEqual(kindsOf(objs), [
    'ClusterRole',
    'ClusterRoleBinding',
    'CustomResourceDefinition',
    'CustomResourceDefinition',
    'CustomResourceDefinition',
    'Deployment',
    'Service',
    'ServiceAccount',
  ]);
  // The release name already names the chart: no flagger-ts-flagger-ts.
  const d = findObject(objs, 'Deployment', 'flagger-ts');
  const spec = deploymentSpec(d);
  assert.equal(spec.replicas, 1);
  assert.equal(spec.strategy?.type, 'Recreate', 'never two unelected replicas at once');
  assert.equal(spec.template.spec.serviceAccountName, 'flagger-ts');
  const c = container(d);
  assert.equal(c.image, 'flagger-ts:0.1.0', 'tag defaults to appVersion');
  assert.deepEqual(c.args, [
    'controller',
    '--mesh-provider=istio',
    '--metrics-server=http://prometheus.istio-system:9090',
    '--log-level=info',
    '--port=8080',
    '--threadiness=2',
    '--enable-config-tracking=true',
    '--slack-user=flagger',
  ]);
  assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  assert.deepEqual(c.livenessProbe?.httpGet, { path: '/healthz', port: 'http' });
  assert.deepEqual(c.readinessProbe?.httpGet, { path: '/readyz', port: 'http' });
  const sc = c.securityContext ?? {};
  assert.equal(sc['readOnlyRootFilesystem'], true);
  assert.equal(sc['runAsNonRoot'], true);
  assert.equal(sc['allowPrivilegeEscalation'], false);
  assert.deepEqual(c.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
  assert.equal(c.env, undefined, 'no notifier Secret without URLs');

  const svc = serviceSpec(findObject(objs, 'Service'));
  assert.deepEqual(svc.ports, [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
  assert.deepEqual(svc.selector, spec.selector.matchLabels);

  const binding = bindingOf(findObject(objs, 'ClusterRoleBinding'));
  assert.deepEqual(binding.roleRef, {
    apiGroup: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    name: 'flagger-ts',
  });
  assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'flagger-ts', namespace: NS }]);
});

test('default RBAC grants exactly what the operator uses: no delete, no wildcards (but for two metric-provider needs)', () => {
  const objs = helmTemplate('flagger-ts', { release: 'flagger-ts', namespace: NS });
  const rules = rulesOf(findObject(objs, 'ClusterRole'));
  const granted = grants(rules);
  assert.deepEqual(granted, [
    '/configmaps:create',
    '/configmaps:get',
    '/configmaps:list',
    '/configmaps:patch',
    '/configmaps:update',
    '/configmaps:watch',
    '/events:create',
    '/events:patch',
    '/secrets:create',
    '/secrets:get',
    '/secrets:list',
    '/secrets:update',
    '/secrets:watch',
    '/services:create',
    '/services:get',
    '/services:list',
    '/services:update',
    '/services:watch',
    'apisix.apache.org/apisixroutes:create',
    'apisix.apache.org/apisixroutes:get',
    'apisix.apache.org/apisixroutes:list',
    'apisix.apache.org/apisixroutes:update',
    'apisix.apache.org/apisixroutes:watch',
    'appmesh.k8s.aws/virtualnodes:create',
    'appmesh.k8s.aws/virtualnodes:get',
    'appmesh.k8s.aws/virtualnodes:list',
    'appmesh.k8s.aws/virtualnodes:update',
    'appmesh.k8s.aws/virtualnodes:watch',
    'appmesh.k8s.aws/virtualrouters:create',
    'appmesh.k8s.aws/virtualrouters:get',
    'appmesh.k8s.aws/virtualrouters:list',
    'appmesh.k8s.aws/virtualrouters:update',
    'appmesh.k8s.aws/virtualrouters:watch',
    'appmesh.k8s.aws/virtualservices:create',
    'appmesh.k8s.aws/virtualservices:get',
    'appmesh.k8s.aws/virtualservices:list',
    'appmesh.k8s.aws/virtualservices:update',
    'appmesh.k8s.aws/virtualservices:watch',
    'apps/daemonsets:create',
    'apps/daemonsets:get',
    'apps/daemonsets:list',
    'apps/daemonsets:patch',
    'apps/daemonsets:update',
    'apps/daemonsets:watch',
    'apps/deployments:create',
    'apps/deployments:get',
    'apps/deployments:list',
    'apps/deployments:patch',
    'apps/deployments:update',
    'apps/deployments:watch',
    'autoscaling/horizontalpodautoscalers:create',
    'autoscaling/horizontalpodautoscalers:get',
    'autoscaling/horizontalpodautoscalers:list',
    'autoscaling/horizontalpodautoscalers:update',
    'autoscaling/horizontalpodautoscalers:watch',
    'external.metrics.k8s.io/*:get',
    'external.metrics.k8s.io/*:list',
    'flagger.app/alertproviders/status:patch',
    'flagger.app/alertproviders:get',
    'flagger.app/alertproviders:list',
    'flagger.app/alertproviders:watch',
    'flagger.app/canaries/finalizers:update',
    'flagger.app/canaries/status:patch',
    'flagger.app/canaries:get',
    'flagger.app/canaries:list',
    'flagger.app/canaries:update',
    'flagger.app/canaries:watch',
    'flagger.app/metrictemplates/status:patch',
    'flagger.app/metrictemplates:get',
    'flagger.app/metrictemplates:list',
    'flagger.app/metrictemplates:watch',
    'gateway.networking.k8s.io/httproutes:create',
    'gateway.networking.k8s.io/httproutes:get',
    'gateway.networking.k8s.io/httproutes:list',
    'gateway.networking.k8s.io/httproutes:update',
    'gateway.networking.k8s.io/httproutes:watch',
    'gateway.solo.io/routetables:create',
    'gateway.solo.io/routetables:get',
    'gateway.solo.io/routetables:list',
    'gateway.solo.io/routetables:update',
    'gateway.solo.io/routetables:watch',
    'gloo.solo.io/upstreams:create',
    'gloo.solo.io/upstreams:get',
    'gloo.solo.io/upstreams:list',
    'gloo.solo.io/upstreams:update',
    'gloo.solo.io/upstreams:watch',
    'keda.sh/scaledobjects:create',
    'keda.sh/scaledobjects:get',
    'keda.sh/scaledobjects:list',
    'keda.sh/scaledobjects:patch',
    'keda.sh/scaledobjects:update',
    'keda.sh/scaledobjects:watch',
    'kuma.io/trafficroutes:create',
    'kuma.io/trafficroutes:get',
    'kuma.io/trafficroutes:list',
    'kuma.io/trafficroutes:update',
    'kuma.io/trafficroutes:watch',
    'metrics.keptn.sh/analyses:create',
    'metrics.keptn.sh/analyses:delete',
    'metrics.keptn.sh/analyses:get',
    'metrics.keptn.sh/keptnmetrics:get',
    'networking.istio.io/destinationrules:create',
    'networking.istio.io/destinationrules:get',
    'networking.istio.io/destinationrules:list',
    'networking.istio.io/destinationrules:update',
    'networking.istio.io/destinationrules:watch',
    'networking.istio.io/virtualservices:create',
    'networking.istio.io/virtualservices:get',
    'networking.istio.io/virtualservices:list',
    'networking.istio.io/virtualservices:update',
    'networking.istio.io/virtualservices:watch',
    'networking.k8s.io/ingresses:create',
    'networking.k8s.io/ingresses:get',
    'networking.k8s.io/ingresses:list',
    'networking.k8s.io/ingresses:update',
    'networking.k8s.io/ingresses:watch',
    'projectcontour.io/httpproxies:create',
    'projectcontour.io/httpproxies:get',
    'projectcontour.io/httpproxies:list',
    'projectcontour.io/httpproxies:update',
    'projectcontour.io/httpproxies:watch',
    'serving.knative.dev/revisions:get',
    'serving.knative.dev/revisions:list',
    'serving.knative.dev/revisions:watch',
    'serving.knative.dev/services:get',
    'serving.knative.dev/services:list',
    'serving.knative.dev/services:update',
    'serving.knative.dev/services:watch',
    'split.smi-spec.io/trafficsplits:create',
    'split.smi-spec.io/trafficsplits:get',
    'split.smi-spec.io/trafficsplits:list',
    'split.smi-spec.io/trafficsplits:update',
    'split.smi-spec.io/trafficsplits:watch',
    'traefik.io/traefikservices:create',
    'traefik.io/traefikservices:get',
    'traefik.io/traefikservices:list',
    'traefik.io/traefikservices:update',
    'traefik.io/traefikservices:watch',
  ]);
  // Two deliberate exceptions, both needed by metric providers as Flagger's chart grants them:
  // external metric names are the resources of external.metrics.k8s.io (read-only, so any
  // name), and the keptn provider deletes the throwaway Analysis it created for a check.
  const exceptions = new Set([
    'external.metrics.k8s.io/*:get',
    'external.metrics.k8s.io/*:list',
    'metrics.keptn.sh/analyses:delete',
  ]);
  for (const g of granted.filter((x) => !exceptions.has(x)))
    assert.doesNotMatch(g, /\*|:delete|:deletecollection|:escalate|:bind|:impersonate/);

  const noTracking = helmTemplate('flagger-ts', {
    release: 'flagger-ts',
    namespace: NS,
    values: { configTracking: { enabled: false } },
  });
  const secretsRule = rulesOf(findObject(noTracking, 'ClusterRole')).find((r: PolicyRule) =>
    r.resources.includes('secrets'),
  );
  assert.deepEqual(
    secretsRule?.verbs,
    ['get', 'list', 'watch'],
    'without config tracking no Secret is written',
  );
});

test('namespace-scoped: Role + RoleBinding in the watched namespace, --namespace flag', () => {
  const objs = helmTemplate('flagger-ts', { release: 'ft', namespace: NS, values: { namespace: 'apps' } });
  assert.ok(!objs.some((o) => o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding'));
  const role = findObject(objs, 'Role', 'ft-flagger-ts');
  assert.equal(role.metadata.namespace, 'apps');
  const binding = findObject(objs, 'RoleBinding', 'ft-flagger-ts');
  assert.equal(binding.metadata.namespace, 'apps');
  assert.deepEqual(bindingOf(binding).subjects, [
    { kind: 'ServiceAccount', name: 'ft-flagger-ts', namespace: NS },
  ]);
  assert.ok(container(findObject(objs, 'Deployment')).args.includes('--namespace=apps'));
});

test('leader election with two replicas: Lease Role in the release namespace, rolling updates', () => {
  const objs = helmTemplate('flagger-ts', {
    release: 'ft',
    namespace: NS,
    values: { leaderElection: { enabled: true, replicaCount: 2 } },
  });
  const d = findObject(objs, 'Deployment');
  assert.equal(deploymentSpec(d).replicas, 2);
  assert.equal(deploymentSpec(d).strategy, undefined, 'rolling update: the Lease keeps one leader');
  const args = container(d).args;
  assert.ok(args.includes('--enable-leader-election'));
  assert.ok(args.includes(`--leader-election-namespace=${NS}`));
  const lease = findObject(objs, 'Role', 'ft-flagger-ts-leader-election');
  assert.equal(lease.metadata.namespace, NS);
  assert.deepEqual(grants(rulesOf(lease)), [
    'coordination.k8s.io/leases:create',
    'coordination.k8s.io/leases:get',
    'coordination.k8s.io/leases:update',
  ]);
  assert.equal(findObject(objs, 'RoleBinding', 'ft-flagger-ts-leader-election').metadata.namespace, NS);
});

test('PDB, monitors, notifier Secret and pass-through values', () => {
  const objs = helmTemplate('flagger-ts', {
    release: 'ft',
    namespace: NS,
    values: {
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      podMonitor: { enabled: true, additionalLabels: { release: 'prom' } },
      serviceMonitor: { enabled: true, namespace: 'monitoring' },
      slack: { url: 'https://hooks.slack.invalid/T0/B0/secret', channel: 'general', proxy: '' },
      msteams: { url: 'https://teams.invalid/hook' },
      clusterName: 'prod: eu #1',
      eventWebhook: 'http://events.invalid/hook',
      selectorLabels: 'app,name',
      includeLabelPrefix: '*',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      image: { repository: 'registry.invalid/flagger-ts', tag: '1.2.3', pullSecret: 'regcred' },
    },
  });
  const pdb = findObject(objs, 'PodDisruptionBudget');
  assert.deepEqual(pdb['spec'], {
    minAvailable: 1,
    selector: { matchLabels: { 'app.kubernetes.io/name': 'flagger-ts', 'app.kubernetes.io/instance': 'ft' } },
  });
  assert.equal(findObject(objs, 'PodMonitor').metadata.labels?.['release'], 'prom');
  assert.equal(findObject(objs, 'ServiceMonitor').metadata.namespace, 'monitoring');

  const secret = findObject(objs, 'Secret', 'ft-flagger-ts-notifiers');
  assert.deepEqual(secret['stringData'], {
    'slack-url': 'https://hooks.slack.invalid/T0/B0/secret',
    'msteams-url': 'https://teams.invalid/hook',
  });
  const d = findObject(objs, 'Deployment');
  const c = container(d);
  assert.equal(c.image, 'registry.invalid/flagger-ts:1.2.3');
  // Webhook URLs are credentials: in the Secret, never in the pod's args.
  for (const a of c.args) assert.doesNotMatch(a, /slack\.invalid|teams\.invalid/);
  assert.deepEqual(
    (c.env ?? []).map((e) => [e.name, e.valueFrom?.secretKeyRef?.key]),
    [
      ['MSTEAMS_URL', 'msteams-url'],
      ['SLACK_TOKEN', 'slack-token'],
      ['SLACK_URL', 'slack-url'],
    ],
  );
  for (const want of [
    '--cluster-name=prod: eu #1',
    '--event-webhook=http://events.invalid/hook',
    '--selector-labels=app,name',
    '--include-label-prefix=*',
    '--slack-channel=general',
  ])
    assert.ok(c.args.includes(want), `${want} in ${c.args.join(' ')}`);
  const pod = deploymentSpec(d).template;
  assert.match(
    String((pod.metadata as { annotations?: Record<string, string> }).annotations?.['checksum/notifiers']),
    /^[0-9a-f]{64}$/,
    'pods roll when the notifier Secret changes',
  );
  assert.deepEqual((pod.spec as { nodeSelector?: unknown }).nodeSelector, { 'kubernetes.io/os': 'linux' });
});

test('loadtester chart: Service 80 → container 8080, Flagger-style flags', () => {
  const objs = helmTemplate('loadtester', {
    release: 'flagger-loadtester',
    namespace: 'test',
    values: { cmd: { namespaceRegexp: '^test$', allowCommandPrefix: ['hey', 'curl'] } },
  });
  assert.deepEqual(kindsOf(objs), ['Deployment', 'Service']);
  const d = findObject(objs, 'Deployment', 'flagger-loadtester');
  const c = container(d);
  assert.deepEqual(c.args, [
    'loadtester',
    '-port=8080',
    '-timeout=1h',
    '-log-level=info',
    '-namespace-regexp=^test$',
    '-allow-command-prefix=hey',
    '-allow-command-prefix=curl',
  ]);
  assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  assert.deepEqual(c.readinessProbe?.httpGet, { path: '/healthz', port: 'http' });
  assert.equal(c.securityContext?.['readOnlyRootFilesystem'], true);
  const svc = serviceSpec(findObject(objs, 'Service', 'flagger-loadtester'));
  assert.deepEqual(svc.ports, [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
  assert.deepEqual(svc.selector, deploymentSpec(d).selector.matchLabels);
});
