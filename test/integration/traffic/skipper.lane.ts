// Provider `skipper` with real traffic: the user's Ingress routes the host to the apex
// Service; the operator adds the `-canary` Ingress copy with zalando.org/backend-weights;
// Skipper (built from its Go module, reading the API through kubectl proxy) splits real
// requests between the pod-server's pods, and exports the route metrics Flagger's skipper
// queries read.
import { skipperCanaryPercent } from '../../harness/lane/routers/skipper.js';
import { laneScenario } from '../../harness/lane/scenario.js';
import { laneRouter } from '../../harness/lane/state.js';
import { appliedPercent, standardTests, type CaseFactory } from './flows.js';

const skipperCase: CaseFactory = async (t, prefix, analysis) => {
  const router = laneRouter('skipper');
  const s = await laneScenario(t, `skipper-${prefix}`, {
    provider: 'skipper',
    canary: (gate) => ({
      analysis: analysis(gate.url),
      spec: {
        ingressRef: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'podinfo' },
      },
    }),
    userObjects: (ns) => [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'podinfo', namespace: ns },
        spec: {
          rules: [
            {
              host: `${ns}.skipper.lane`,
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
      },
    ],
  });
  const ns = s.env.namespace;
  return {
    s,
    target: { url: router.url, host: `${ns}.skipper.lane` },
    applied: appliedPercent(() => skipperCanaryPercent(router.adminUrl ?? '', ns, 'podinfo')),
  };
};

standardTests('skipper', 'Skipper route metrics', skipperCase);
