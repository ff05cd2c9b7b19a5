// A podinfo Canary in the shape of Flagger's Istio tutorial, used across the api tests.
import { parse } from 'yaml';
import { CanarySchema, type Canary } from '../../../src/api/canary.js';

export const PODINFO_YAML = `
apiVersion: flagger.app/v1beta1
kind: Canary
metadata:
  name: podinfo
  namespace: test
  generation: 3
spec:
  provider: istio
  targetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: podinfo
  progressDeadlineSeconds: 60
  autoscalerRef:
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    name: podinfo
    primaryScalerReplicas:
      minReplicas: 2
      maxReplicas: 5
  service:
    port: 9898
    targetPort: http
    gateways:
      - public-gateway.istio-system.svc.cluster.local
    hosts:
      - app.example.com
    trafficPolicy:
      tls:
        mode: DISABLE
      loadBalancer:
        simple: LEAST_REQUEST
    retries:
      attempts: 3
      perTryTimeout: 1s
      retryOn: "gateway-error,connect-failure,refused-stream"
    match:
      - uri:
          prefix: /api
        headers:
          x-user:
            exact: tester
  analysis:
    interval: 1m
    threshold: 5
    maxWeight: 50
    stepWeight: 10
    metrics:
      - name: request-success-rate
        thresholdRange:
          min: 99
        interval: 1m
      - name: request-duration
        thresholdRange:
          max: 500
        interval: 30s
      - name: error-rate
        templateRef:
          name: error-rate
          namespace: istio-system
        thresholdRange:
          max: 1
        interval: 1m
        templateVariables:
          route: api
    alerts:
      - name: on-call
        severity: error
        providerRef:
          name: on-call
          namespace: flagger
    webhooks:
      - name: acceptance-test
        type: pre-rollout
        url: http://flagger-loadtester.test/
        timeout: 30s
        metadata:
          type: bash
          cmd: "curl -sd 'test' http://podinfo-canary:9898/token | grep token"
      - name: load-test
        url: http://flagger-loadtester.test/
        timeout: 5s
        metadata:
          cmd: "hey -z 1m -q 10 -c 2 http://podinfo-canary.test:9898/"
`;

/** Fresh, unparsed podinfo object (safe to mutate). */
export const podinfoRaw = (): Record<string, unknown> => parse(PODINFO_YAML) as Record<string, unknown>;

export const podinfo = (): Canary => CanarySchema.parse(podinfoRaw());

/** podinfo with the analysis replaced, for defaults tables. */
export function withAnalysis(analysis: Canary['spec']['analysis'], provider?: string): Canary {
  const c = podinfo();
  const spec = { ...c.spec, analysis };
  if (provider === undefined) delete spec.provider;
  else spec.provider = provider;
  return { ...c, spec };
}
