// The apex Ingress a user of the nginx and skipper routers already has.
import type { KubeObject } from '../../../src/kube/types.js';

export const ingressRef = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'podinfo' };

export function apexIngress(namespace: string, annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'podinfo', namespace, labels: { app: 'podinfo' }, annotations },
    spec: {
      rules: [
        {
          host: 'app.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'podinfo', port: { number: 9898 } } },
              },
            ],
          },
        },
      ],
    },
  };
}
