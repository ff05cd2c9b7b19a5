// Flagger's own tutorial Canaries for the ingress routers, read at test time from the
// github.com/fluxcd/flagger@v1.44.0 module's docs/gitbook/tutorials/, apply unchanged (only
// metadata.namespace is moved to the test's namespace) next to the router inputs the same
// tutorial defines (apex Ingress, ApisixRoute), and initialize on the real control plane
// with the project's real CRDs. Gloo is left out: its CRDs are not obtainable (hack/crds/pins.txt).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/kube/types.js';
import { waitForPhase } from '../../harness/canary.js';
import { testEnv } from '../../harness/cluster.js';
import { podinfoDeployment } from '../../harness/fixtures.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { applyThirdPartyCrds, goModuleDir, type ThirdPartyProject } from '../../harness/third-party-crds.js';
import { readObject } from './router-lifecycle.js';

interface Tutorial {
  readonly file: string;
  readonly meshProvider: string;
  readonly crds: readonly ThirdPartyProject[];
  /** The object the router writes, proving it ran. */
  readonly routed: readonly [apiVersion: string, kind: string, name: string];
}

const TUTORIALS: readonly Tutorial[] = [
  {
    file: 'gatewayapi',
    meshProvider: 'gatewayapi:v1',
    crds: ['gatewayapi'],
    routed: ['gateway.networking.k8s.io/v1', 'HTTPRoute', 'podinfo'],
  },
  {
    file: 'contour',
    meshProvider: 'contour',
    crds: ['contour'],
    routed: ['projectcontour.io/v1', 'HTTPProxy', 'podinfo'],
  },
  {
    file: 'nginx',
    meshProvider: 'nginx',
    crds: [],
    routed: ['networking.k8s.io/v1', 'Ingress', 'podinfo-canary'],
  },
  {
    file: 'traefik',
    meshProvider: 'traefik',
    crds: ['traefik'],
    routed: ['traefik.io/v1alpha1', 'TraefikService', 'podinfo'],
  },
  {
    file: 'skipper',
    meshProvider: 'skipper',
    crds: [],
    routed: ['networking.k8s.io/v1', 'Ingress', 'podinfo-canary'],
  },
  {
    file: 'apisix',
    meshProvider: 'apisix',
    crds: ['apisix'],
    routed: ['apisix.apache.org/v2', 'ApisixRoute', 'podinfo-podinfo-canary'],
  },
];

/** The YAML documents of a tutorial's ```yaml blocks. */
async function tutorialObjects(file: string): Promise<KubeObject[]> {
  const dir = await goModuleDir('github.com/fluxcd/flagger@v1.44.0');
  const md = readFileSync(join(dir, 'docs/gitbook/tutorials', `${file}-progressive-delivery.md`), 'utf8');
  const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((b) =>
    parseAllDocuments(b)
      .map((d) => d.toJS() as unknown)
      .filter((o): o is KubeObject => typeof o === 'object' && o !== null && 'kind' in o),
  );
}

const isFullCanary = (o: KubeObject): boolean =>
  o.kind === 'Canary' && typeof o['spec'] === 'object' && o['spec'] !== null && 'targetRef' in o['spec'];

const hpa = (namespace: string): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'podinfo', namespace },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    minReplicas: 2,
    maxReplicas: 4,
    metrics: [
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 99 } },
      },
    ],
  },
});

for (const tut of TUTORIALS) {
  test(`Flagger's ${tut.file} tutorial Canaries apply unchanged and initialize`, async (t) => {
    const objects = await tutorialObjects(tut.file);
    const canaries = objects.filter(isFullCanary);
    assert.ok(canaries.length > 0, `${tut.file}: a Canary in the tutorial`);
    const inputs = objects.filter((o) => o.kind === 'Ingress' || o.kind === 'ApisixRoute');
    for (const [i, canary] of canaries.entries()) {
      await t.test(`Canary ${i + 1} of ${canaries.length}`, async (st) => {
        const env = await testEnv(st, `tut-${tut.file}`);
        installCrds(env.cluster, FLAGGER_CRDS);
        for (const p of tut.crds) await applyThirdPartyCrds(env.cluster, p);
        const here = (o: KubeObject): KubeObject => ({
          ...o,
          metadata: { ...o.metadata, namespace: env.namespace },
        });
        for (const o of inputs) await env.kube.create(here(o));
        await env.kube.create(podinfoDeployment(env.namespace));
        await env.kube.create(hpa(env.namespace));
        await env.kube.create(here(canary));
        await startTestOperator(st, env, { meshProvider: tut.meshProvider });
        await waitForPhase(env, 'Initialized', 60_000);
        const [apiVersion, kind, name] = tut.routed;
        assert.ok(await readObject(env, apiVersion, kind, name), `${kind} ${name} written`);
      });
    }
  });
}
