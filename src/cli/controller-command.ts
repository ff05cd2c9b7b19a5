// `flagger-ts controller`: runs the operator. Flag names follow Flagger's, with
// environment-variable fallbacks for the ones Flagger reads from the environment; Flagger's
// Go-style spelling (`-mesh-provider=istio`) is normalized by flagger-flags.ts.
import type { Command } from 'commander';
import { parseOperatorConfig, splitList, type OperatorConfig } from '../config/operator-config.js';
import { startOperator, VERSION } from '../controller/operator.js';
import { parseDurationMs } from '../api/defaults.js';
import { isKnownProvider } from '../api/validate.js';
import { routerProviders } from '../routers/registry.js';
import { createLogger } from '../telemetry/logger.js';
import { controllerKubeConfig } from './controller-kubeconfig.js';
import { flaggerLogLevel, normalizeFlaggerArgs } from './flagger-flags.js';

export interface ControllerFlags {
  kubeconfig?: string;
  master?: string;
  kubeconfigServiceMesh?: string;
  ingressClass?: string;
  ingressAnnotationsPrefix?: string;
  zapEncoding?: string;
  version?: boolean;
  meshProvider?: string;
  metricsServer?: string;
  namespace?: string;
  selectorLabels?: string;
  includeLabelPrefix?: string;
  logLevel?: string;
  port?: string;
  listenAddress?: string;
  threadiness?: string;
  enableConfigTracking?: string;
  eventWebhook?: string;
  clusterName?: string;
  /** commander turns --no-cross-namespace-refs into crossNamespaceRefs=false */
  crossNamespaceRefs?: boolean;
  minAnalysisInterval?: string;
  enableLeaderElection?: boolean;
  leaderElectionNamespace?: string;
  leaderElectionId?: string;
  leaderElectionLeaseDuration?: string;
  slackUrl?: string;
  slackToken?: string;
  slackProxyUrl?: string;
  slackUser?: string;
  slackChannel?: string;
  msteamsUrl?: string;
  msteamsProxyUrl?: string;
}

/**
 * Flags (already normalized) and environment → the operator configuration. Fails at start-up,
 * with the supported list, on a mesh provider this build cannot route: Flagger would start and
 * leave every canary Initializing.
 */
export function controllerConfig(flags: ControllerFlags, env: NodeJS.ProcessEnv): OperatorConfig {
  const config = parseOperatorConfig({
    kubeconfig: flags.kubeconfig ?? env['KUBECONFIG_PATH'],
    meshProvider: flags.meshProvider ?? env['MESH_PROVIDER'],
    metricsServer: flags.metricsServer ?? env['METRICS_SERVER'],
    namespace: flags.namespace ?? env['WATCH_NAMESPACE'],
    selectorLabels: splitList(flags.selectorLabels),
    includeLabelPrefix: splitList(flags.includeLabelPrefix),
    logLevel: flaggerLogLevel(flags.logLevel ?? env['LOG_LEVEL']),
    port: num(flags.port),
    listenAddress: flags.listenAddress,
    threadiness: num(flags.threadiness),
    enableConfigTracking:
      flags.enableConfigTracking === undefined ? undefined : flags.enableConfigTracking !== 'false',
    eventWebhook: env['EVENT_WEBHOOK_URL'] ?? flags.eventWebhook,
    clusterName: flags.clusterName,
    ingressClass: flags.ingressClass,
    ingressAnnotationsPrefix: flags.ingressAnnotationsPrefix,
    slackUrl: flags.slackUrl,
    slackToken: flags.slackToken,
    slackProxyUrl: flags.slackProxyUrl,
    slackUser: flags.slackUser,
    slackChannel: flags.slackChannel,
    msteamsUrl: flags.msteamsUrl,
    msteamsProxyUrl: flags.msteamsProxyUrl,
    noCrossNamespaceRefs: flags.crossNamespaceRefs === false,
    minAnalysisIntervalMs:
      flags.minAnalysisInterval === undefined ? undefined : parseDurationMs(flags.minAnalysisInterval),
    enableLeaderElection: flags.enableLeaderElection,
    leaderElectionNamespace: flags.leaderElectionNamespace,
    leaderElectionId: flags.leaderElectionId,
    leaderElectionLeaseDurationMs:
      flags.leaderElectionLeaseDuration === undefined
        ? undefined
        : parseDurationMs(flags.leaderElectionLeaseDuration),
  });
  const providers = routerProviders();
  if (!isKnownProvider(config.meshProvider, providers)) {
    throw new Error(
      `unsupported --mesh-provider "${config.meshProvider}"; this build routes: ${providers.join(', ')}`,
    );
  }
  return config;
}

/** Flags flagger-ts accepts from Flagger's manifests but does not act on, by value. */
function valueWarnings(flags: ControllerFlags): string[] {
  if (flags.zapEncoding === undefined || flags.zapEncoding === 'json') return [];
  return [`-zap-encoding=${flags.zapEncoding} (logs are always JSON)`];
}

const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

export function registerControllerCommand(program: Command): void {
  const cmd = program
    .command('controller')
    .description('run the flagger-ts operator (watches Canaries and drives rollouts)')
    .option(
      '--kubeconfig <path>',
      'kubeconfig for running outside the cluster (default: KUBECONFIG, then in-cluster)',
    )
    .option('--mesh-provider <name>', 'default provider when spec.provider is empty (istio, kubernetes)')
    .option('--metrics-server <url>', 'Prometheus URL for builtin metrics')
    .option('--namespace <ns>', 'watch only this namespace')
    .option(
      '--selector-labels <list>',
      'pod selector labels to look for, in order',
      'app,name,app.kubernetes.io/name',
    )
    .option('--include-label-prefix <list>', 'label/annotation prefixes copied to the primary (* for all)')
    .option('--log-level <level>', 'debug, info, warn, error')
    .option('--port <port>', 'HTTP port for /metrics, /healthz, /readyz')
    .option('--listen-address <addr>', 'HTTP listen address')
    .option('--threadiness <n>', 'canaries reconciled in parallel')
    .option('--enable-config-tracking <bool>', 'track ConfigMaps/Secrets referenced by the target')
    .option('--event-webhook <url>', 'webhook receiving every canary event (env EVENT_WEBHOOK_URL)')
    .option('--cluster-name <name>', 'added to alerts as the Cluster field')
    .option('--slack-url <url>', 'global Slack webhook for canaries without analysis.alerts (env SLACK_URL)')
    .option('--slack-token <token>', 'Slack bot token (env SLACK_TOKEN)')
    .option('--slack-proxy-url <url>', 'HTTP proxy for Slack (env SLACK_PROXY_URL)')
    .option('--slack-user <name>', 'Slack user name', 'flagger')
    .option('--slack-channel <name>', 'Slack channel')
    .option('--msteams-url <url>', 'global MS Teams webhook; replaces Slack when set (env MSTEAMS_URL)')
    .option('--msteams-proxy-url <url>', 'HTTP proxy for MS Teams (env MSTEAMS_PROXY_URL)')
    .option(
      '--no-cross-namespace-refs',
      'reject references to MetricTemplates/AlertProviders in other namespaces',
    )
    .option('--min-analysis-interval <duration>', 'floor for analysis.interval (Flagger: 10s)')
    .option('--enable-leader-election', 'run as one of several replicas, coordinated by a Lease')
    .option('--leader-election-namespace <ns>', 'namespace of the leader-election Lease')
    .option('--leader-election-id <name>', 'name of the leader-election Lease')
    .option('--leader-election-lease-duration <duration>', 'failover time after a leader dies (default 15s)')
    .option('--master <url>', 'API server address; overrides the kubeconfig (Flagger -master)')
    .option('--kubeconfig-service-mesh <path>', 'accepted when it names the same cluster as --kubeconfig')
    .option('--ingress-class <class>', 'ingress class of generated ingress objects (Contour HTTPProxy ...)')
    .option('--ingress-annotations-prefix <prefix>', 'NGINX ingress annotation prefix', undefined)
    .option('--zap-encoding <encoding>', 'json (the only encoding; others are ignored with a warning)')
    .option('--version', 'print the version and exit');
  // Flagger's Go-style flags (`-mesh-provider=istio`, bare booleans, klog flags) → commander's form.
  let ignored: string[] = [];
  const parseOptions = cmd.parseOptions.bind(cmd);
  cmd.parseOptions = (args: string[]) => {
    const normalized = normalizeFlaggerArgs(args);
    ignored = normalized.ignored;
    return parseOptions(normalized.args);
  };
  cmd.action(async (flags: ControllerFlags) => {
    if (flags.version === true) {
      process.stdout.write(`flagger-ts version ${VERSION}\n`);
      return;
    }
    const config = controllerConfig(flags, process.env);
    const kubeConfig = controllerKubeConfig({
      kubeconfig: config.kubeconfig,
      master: flags.master,
      kubeconfigServiceMesh: flags.kubeconfigServiceMesh,
    });
    const logger = createLogger(config.logLevel);
    const notActedOn = [...ignored, ...valueWarnings(flags)];
    if (notActedOn.length > 0) {
      logger.warn({ flags: notActedOn }, `Flagger flags accepted but ignored: ${notActedOn.join('; ')}`);
    }
    const operator = await startOperator({
      config,
      logger,
      kubeConfig,
      onLostLeadership: () => {
        logger.flush();
        process.exit(1);
      },
    });
    const shutdown = (sig: string): void => {
      logger.info({ signal: sig }, 'shutting down');
      void operator.stop().then(() => process.exit(process.exitCode ?? 0));
    };
    process.once('SIGTERM', () => {
      shutdown('SIGTERM');
    });
    process.once('SIGINT', () => {
      shutdown('SIGINT');
    });
  });
}
