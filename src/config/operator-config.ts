// The operator's configuration: one zod schema, filled from command-line flags
// with environment-variable fallbacks (Flagger's flag names), validated once at
// start-up and then passed down as plain typed values.
import { z } from 'zod';

export const OperatorConfigSchema = z.object({
  kubeconfig: z.string().optional(),
  meshProvider: z.string().min(1).default('istio'),
  metricsServer: z.url().default('http://prometheus:9090'),
  namespace: z.string().default(''),
  selectorLabels: z.array(z.string().min(1)).min(1).default(['app', 'name', 'app.kubernetes.io/name']),
  includeLabelPrefix: z.array(z.string()).default([]),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  port: z.number().int().min(0).max(65535).default(8080),
  listenAddress: z.string().default('0.0.0.0'),
  threadiness: z.number().int().min(1).max(64).default(2),
  enableConfigTracking: z.boolean().default(true),
  eventWebhook: z.url().optional(),
  clusterName: z.string().default(''),
  /** -ingress-class: the class routers put on the ingress objects they generate (Contour, nginx, skipper). */
  ingressClass: z.string().default(''),
  /** -ingress-annotations-prefix: the annotation prefix of the NGINX (and compatible) ingress controller. */
  ingressAnnotationsPrefix: z.string().min(1).default('nginx.ingress.kubernetes.io'),
  /** The global notifier (Flagger's -slack-* and -msteams-* flags), for canaries without analysis.alerts. */
  slackUrl: z.string().optional(),
  slackToken: z.string().optional(),
  slackProxyUrl: z.string().optional(),
  slackUser: z.string().optional(),
  slackChannel: z.string().optional(),
  msteamsUrl: z.string().optional(),
  msteamsProxyUrl: z.string().optional(),
  noCrossNamespaceRefs: z.boolean().default(false),
  /** Flagger raises intervals under 10s to 10s; tests and demos may lower the floor. */
  minAnalysisIntervalMs: z.number().int().min(100).default(10_000),
  enableLeaderElection: z.boolean().default(false),
  leaderElectionNamespace: z.string().default('kube-system'),
  leaderElectionId: z.string().default('flagger-ts-leader-election'),
  /** How long a dead leader's Lease blocks a standby; renew deadline and retry period derive from it. */
  leaderElectionLeaseDurationMs: z.number().int().min(1000).default(15_000),
});

export type OperatorConfig = z.infer<typeof OperatorConfigSchema>;

export function parseOperatorConfig(input: unknown): OperatorConfig {
  const res = OperatorConfigSchema.safeParse(input);
  if (!res.success) {
    const problems = res.error.issues.map((i) => `--${kebab(i.path.join('.'))}: ${i.message}`);
    throw new Error(`invalid operator configuration:\n  ${problems.join('\n  ')}`);
  }
  return res.data;
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export function splitList(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
