// Several canaries in one test namespace: the harness's podinfo Deployment and Canary under
// another name (labels, selector, target and service all follow the name).
import type { KubeObject } from '../../../src/kube/types.js';
import { podinfoCanary, podinfoDeployment, type CanaryOptions } from '../../harness/fixtures.js';

/** Replaces every "podinfo" identifier in a fixture by `name` (images are left alone). */
function renamed(obj: KubeObject, name: string): KubeObject {
  const text = JSON.stringify(obj).replace(
    /"podinfo(-[a-z]+)?"/g,
    (_m, suffix?: string) => `"${name}${suffix ?? ''}"`,
  );
  return JSON.parse(text) as KubeObject;
}

export function namedDeployment(namespace: string, name: string): KubeObject {
  return renamed(podinfoDeployment(namespace), name);
}

export function namedCanary(namespace: string, name: string, o: CanaryOptions = {}): KubeObject {
  return renamed(podinfoCanary(namespace, o), name);
}
