// Provider `traefik` with real traffic: the user's IngressRoute points at the TraefikService
// the operator writes; Traefik v3 (built from its Go module) routes real requests to the
// pod-server's pods; Prometheus scrapes Traefik's own metrics for the builtin checks.
import { traefikCanaryPercents } from '../../harness/lane/routers/traefik.js';
import { laneScenario } from '../../harness/lane/scenario.js';
import { laneRouter } from '../../harness/lane/state.js';
import { appliedPercent, standardTests, type CaseFactory } from './flows.js';

const traefikCase: CaseFactory = async (t, prefix, analysis) => {
  const router = laneRouter('traefik');
  const s = await laneScenario(t, `traefik-${prefix}`, {
    provider: 'traefik',
    canary: (gate) => ({ analysis: analysis(gate.url) }),
    userObjects: (ns) => [
      {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'IngressRoute',
        metadata: { name: 'podinfo', namespace: ns },
        spec: {
          entryPoints: ['web'],
          routes: [
            {
              kind: 'Rule',
              match: `Host(\`${ns}.traefik.lane\`)`,
              services: [{ name: 'podinfo', kind: 'TraefikService' }],
            },
          ],
        },
      },
    ],
  });
  const ns = s.env.namespace;
  return {
    s,
    target: { url: router.url, host: `${ns}.traefik.lane` },
    applied: appliedPercent(() => traefikCanaryPercents(router.adminUrl ?? '', ns, 'podinfo')),
  };
};

standardTests('traefik', 'Traefik metrics', traefikCase);
