// Typed read-only views of the rendered manifests the packaging tests inspect. The
// objects come from our own charts, so a shape mismatch is a test failure, not input.
import type { KubeObject } from '../../../src/kube/types.js';

export interface ProbeView {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
}

export interface ContainerView {
  readonly name: string;
  readonly image: string;
  readonly args: readonly string[];
  readonly ports: readonly { readonly name: string; readonly containerPort: number }[];
  readonly livenessProbe?: ProbeView;
  readonly readinessProbe?: ProbeView;
  readonly securityContext?: Readonly<Record<string, unknown>>;
  readonly env?: readonly {
    readonly name: string;
    readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
  }[];
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string }[];
}

export interface DeploymentView {
  readonly replicas: number;
  readonly strategy?: { readonly type: string };
  readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly template: {
    readonly metadata: { readonly labels: Readonly<Record<string, string>> };
    readonly spec: {
      readonly serviceAccountName: string;
      readonly containers: readonly ContainerView[];
      readonly volumes?: readonly { readonly name: string; readonly emptyDir?: object }[];
    };
  };
}

export interface PolicyRule {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export interface BindingView {
  readonly roleRef: { readonly kind: string; readonly name: string };
  readonly subjects: readonly { readonly kind: string; readonly name: string; readonly namespace: string }[];
}

export interface ServiceView {
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly {
    readonly name: string;
    readonly port: number;
    readonly targetPort: string | number;
  }[];
}

export const deploymentSpec = (d: KubeObject): DeploymentView => d['spec'] as DeploymentView;
export const serviceSpec = (s: KubeObject): ServiceView => s['spec'] as ServiceView;
export const rulesOf = (r: KubeObject): readonly PolicyRule[] => r['rules'] as PolicyRule[];
export const bindingOf = (b: KubeObject): BindingView => b as unknown as BindingView;

export function container(d: KubeObject): ContainerView {
  const c = deploymentSpec(d).template.spec.containers[0];
  if (!c) throw new Error(`Deployment ${d.metadata.name} has no container`);
  return c;
}

/** Every (group, resource, verb) a set of rules grants, as sorted "group/resource:verb" strings. */
export function grants(rules: readonly PolicyRule[]): string[] {
  const out = new Set<string>();
  for (const r of rules)
    for (const g of r.apiGroups)
      for (const res of r.resources) for (const v of r.verbs) out.add(`${g}/${res}:${v}`);
  return [...out].sort();
}
