// Flagger's tutorial documents, read at test time from the pinned github.com/fluxcd/flagger
// module (hack/crds/pins.txt `flagger`): the YAML objects of a tutorial's ```yaml blocks.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/kube/types.js';
import { crdSource } from '../../harness/third-party-crds.js';

export async function tutorialObjects(file: string): Promise<KubeObject[]> {
  // The pin names artifacts/flagger/crd.yaml; the module root is three levels up.
  const crd = (await crdSource('flagger')).files[0] ?? '';
  const root = dirname(dirname(dirname(crd)));
  const md = readFileSync(join(root, 'docs/gitbook/tutorials', file), 'utf8');
  return [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((m) =>
    parseAllDocuments(m[1] ?? '')
      .map((d) => d.toJS() as unknown)
      .filter((o): o is KubeObject => typeof o === 'object' && o !== null && 'kind' in o),
  );
}

/** `o` moved into `namespace` (the only change made to a tutorial object). */
export const inNamespace = (o: KubeObject, namespace: string): KubeObject => ({
  ...o,
  metadata: { ...o.metadata, namespace },
});

/** The tutorial Canary of a Deployment (tutorials also show Canaries of other targets). */
export const isDeploymentCanary = (o: KubeObject): boolean =>
  o.kind === 'Canary' &&
  (o['spec'] as { targetRef?: { kind?: string } } | undefined)?.targetRef?.kind === 'Deployment';

/** The HPA Flagger's tutorials install with podinfo (kustomize/podinfo). */
export const hpa = (namespace: string): KubeObject => ({
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
