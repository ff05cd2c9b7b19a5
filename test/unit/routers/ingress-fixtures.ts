// The apex Ingress Flagger's nginx and skipper tutorials use, for the ingress-copy routers.
import type { KubeObject } from '../../../src/kube/types.js';

export function apexIngress(annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'podinfo', namespace: 'default', labels: { app: 'podinfo' }, annotations },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'app.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'podinfo', port: { number: 80 } } },
              },
              {
                path: '/other',
                pathType: 'Prefix',
                backend: { service: { name: 'other', port: { number: 80 } } },
              },
            ],
          },
        },
      ],
    },
  };
}

export const backend = (name: string, path = '/'): Record<string, unknown> => ({
  path,
  pathType: 'Prefix',
  backend: { service: { name, port: { number: 80 } } },
});
