// Wires the operator together: clients, informer caches, the work queue, the
// reconciler, the HTTP endpoints and (optionally) leader election.
import { hostname } from 'node:os';
import type { OperatorConfig } from '../config/operator-config.js';
import { CanaryEventEmitter } from '../events/emitter.js';
import { KubeEventRecorder } from '../events/kube-events.js';
import { cachedClient } from '../kube/cached-client.js';
import { createKubeClient } from '../kube/client.js';
import { isRecord } from '../kube/json.js';
import type { KubeConfigData } from '../kube/kubeconfig.js';
import { loadKubeConfig } from '../kube/kubeconfig-load.js';
import { KubeTransport } from '../kube/transport.js';
import type { KubeObject } from '../kube/types.js';
import { AlertProviderStatusLoop } from './alert-provider-status.js';
import { MetricTemplateStatusLoop } from './metric-template-status.js';
import { readSecretData } from '../kube/secrets.js';
import {
  createAlertDispatcher,
  globalNotifierConfigFromEnv,
  registerAlertMetrics,
} from '../notifiers/index.js';
import { CanaryTarget } from '../targets/canary-target.js';
import type { Logger } from '../telemetry/logger.js';
import { createOperatorMetrics, type OperatorMetrics } from '../telemetry/metrics.js';
import { Caches, canaryKey } from './caches.js';
import { ConfigMapContents } from './config-contents.js';
import type { ControllerDeps } from './context.js';
import { startHttpServer, type HttpServer } from './http-server.js';
import { LeaderElector } from './leader-election.js';
import { CanaryReconciler } from './reconciler.js';
import { WorkQueue } from './work-queue.js';
import { userRequestName } from './user-requests.js';

import { VERSION } from './version.js';

export { VERSION };

/** How long a shutdown waits for running reconciles to reach their status write. */
const SHUTDOWN_GRACE_MS = 5_000;

/** The operator's own verdict, as written to the status: condition Validated=False. */
function isInvalid(canary: KubeObject): boolean {
  const status = canary['status'];
  const conditions = isRecord(status) && Array.isArray(status['conditions']) ? status['conditions'] : [];
  return conditions.some((c) => isRecord(c) && c['type'] === 'Validated' && c['status'] === 'False');
}

export interface Operator {
  readonly metrics: OperatorMetrics;
  readonly deps: ControllerDeps;
  readonly http: HttpServer;
  readonly isLeader: () => boolean;
  stop(): Promise<void>;
}

export interface OperatorOptions {
  readonly config: OperatorConfig;
  readonly logger: Logger;
  /** Ours (kubeconfig-load.ts) or a client-node KubeConfig; default: config.kubeconfig, else the usual places. */
  readonly kubeConfig?: KubeConfigData;
  /** Test knob: shortens webhook retry pacing. */
  readonly webhookRetryBaseDelayMs?: number;
  readonly identity?: string;
  /** Leader-election timings (defaults: Flagger's 60s lease, 15s renew... scaled as in client-go). */
  readonly leaseDurationMs?: number;
  /** The CLI exits so that Kubernetes restarts the pod as a fresh candidate (as client-go does). */
  readonly onLostLeadership?: () => void;
}

export async function startOperator(opts: OperatorOptions): Promise<Operator> {
  const { config, logger } = opts;
  // One transport (one keep-alive agent) for the client, discovery and every informer.
  const transport = new KubeTransport(opts.kubeConfig ?? loadKubeConfig(config.kubeconfig));
  if (transport.usesClientNode) {
    logger.info(
      'the kubeconfig uses a credential plugin (exec/auth-provider) or a proxy-url: loading @kubernetes/client-node for it',
    );
  }
  const client = createKubeClient(transport);
  const metrics = createOperatorMetrics({ version: VERSION, meshProvider: config.meshProvider });
  client.requests.onRecord((verb) => {
    metrics.apiRequests.inc({ verb });
  });
  let queue: WorkQueue | undefined;
  // Canaries whose generated objects someone else changed; their next reconcile repairs them.
  const repairs = new Set<string>();
  const caches = new Caches(transport, {
    namespace: config.namespace,
    enqueue: (key) => queue?.add(key),
    repair: (key) => {
      if (queue === undefined) return;
      repairs.add(key);
      queue.add(key);
    },
    onError: (what, err) => {
      logger.warn(
        { informer: what, err: err instanceof Error ? err.message : String(err) },
        'watch interrupted; re-establishing',
      );
    },
    // Canaries whose reconciles failed while the API server was away back off up to a minute;
    // once it answers again they run at once instead of waiting their back-off out.
    onRecovered: (what) => {
      logger.info({ informer: what }, 'watch re-established; retrying failed reconciles now');
      queue?.retryFailedNow();
    },
  });
  const cache = {
    canary: (ns: string, n: string) => caches.canaries.get(ns, n),
    deployment: (ns: string, n: string) => caches.deployments.get(ns, n),
    daemonSet: (ns: string, n: string) => caches.daemonSets.get(ns, n),
    metricTemplate: (ns: string, n: string) => caches.metricTemplates.get(ns, n),
    alertProvider: (ns: string, n: string) => caches.alertProviders.get(ns, n),
    userRequest: (ns: string, n: string) => caches.userRequests.get(ns, userRequestName(n)),
    get synced() {
      return caches.synced;
    },
  };
  // Reads of Services, router objects, autoscalers and workloads come from the watch caches.
  const reads = cachedClient(client, caches.lookup);
  const deps: ControllerDeps = {
    client: reads,
    watchKindsFor: (canary, router) => {
      caches.watchKindsFor(canary, router);
    },
    kubeConfig: transport,
    cache,
    config,
    logger,
    metrics,
    configContents: new ConfigMapContents(caches.configMaps, client),
    alerts: createAlertDispatcher({
      resolver: {
        getAlertProvider: (ns, name) => cache.alertProvider(ns, name),
        getSecretData: (ns, name, signal) => readSecretData(client, ns, name, signal),
      },
      logger,
      global: globalNotifierConfigFromEnv(config),
      clusterName: config.clusterName,
      count: registerAlertMetrics(metrics.registry),
    }),
    events: new CanaryEventEmitter(new KubeEventRecorder(client), logger, config.eventWebhook),
    target: new CanaryTarget({
      client: reads,
      includeLabelPrefix: config.includeLabelPrefix,
      selectorLabels: config.selectorLabels,
      configTracking: config.enableConfigTracking,
    }),
    now: () => Date.now(),
    ...(opts.webhookRetryBaseDelayMs === undefined
      ? {}
      : { webhookRetryBaseDelayMs: opts.webhookRetryBaseDelayMs }),
  };
  const canaries = new CanaryReconciler(deps, repairs);
  const work = new WorkQueue(
    async (key, signal) => {
      const end = metrics.reconcileDuration.startTimer();
      // Flagger observes flagger_canary_duration_seconds once per canary reconcile.
      const [namespace = '', name = ''] = key.split('/');
      const endCanary = metrics.canaryDuration.startTimer({ name, namespace });
      try {
        const next = await canaries.reconcile(key, signal);
        metrics.reconciles.inc({ result: 'success' });
        if (next !== null) work.add(key, next);
      } catch (err) {
        // Cut short by shutdown: not a failure; the next leader or start resumes from the status.
        if (signal.aborted || work.stopped) {
          logger.debug({ key }, 'reconcile interrupted by shutdown');
          throw err;
        }
        metrics.reconciles.inc({ result: 'error' });
        logger.error(
          { key, err: err instanceof Error ? err.message : String(err) },
          'reconcile failed; retrying with back-off',
        );
        throw err;
      } finally {
        end();
        endCanary();
      }
    },
    // Every canary runs independently (see work-queue.ts); --threadiness is accepted for
    // Flagger compatibility and no longer caps how many canaries make progress at once.
    {},
  );

  // The leader also keeps each MetricTemplate's Ready condition current.
  const templateStatus = new MetricTemplateStatusLoop({
    client,
    kube: { client, kubeConfig: transport },
    list: () => caches.metricTemplates.list(),
    logger,
  });
  // ... and each AlertProvider's, built by the same code that routes alerts.
  const alertProviderStatus = new AlertProviderStatusLoop({
    client,
    list: () => caches.alertProviders.list(),
    logger,
  });
  const startReconciling = (): void => {
    queue = work;
    templateStatus.start();
    alertProviderStatus.start();
    for (const c of caches.canaries.list()) work.add(canaryKey(c.metadata.namespace ?? '', c.metadata.name));
  };
  // Serve /healthz before the first list: a list that keeps failing (CRDs missing, RBAC,
  // an API server still starting) shows as not ready, not as a liveness-probe restart loop.
  const http = await startHttpServer({
    port: config.port,
    host: config.listenAddress,
    metrics,
    ready: () => caches.synced,
    logger,
  });
  await caches.start();
  const countCanaries = (): void => {
    metrics.canaryTotal.reset();
    metrics.canaryInvalid.reset();
    for (const c of caches.canaries.list()) {
      const namespace = c.metadata.namespace ?? '';
      metrics.canaryTotal.inc({ namespace });
      metrics.canaryInvalid.set({ name: c.metadata.name, namespace }, isInvalid(c) ? 1 : 0);
    }
  };
  const totals = setInterval(countCanaries, 10_000);
  totals.unref();
  countCanaries();

  let elector: LeaderElector | undefined;
  if (config.enableLeaderElection) {
    const lease = opts.leaseDurationMs ?? config.leaderElectionLeaseDurationMs;
    elector = new LeaderElector({
      client,
      namespace: config.leaderElectionNamespace,
      name: config.leaderElectionId,
      identity: opts.identity ?? `${hostname()}-${process.pid}`,
      leaseDurationMs: lease,
      renewDeadlineMs: Math.round(lease * (2 / 3)),
      retryPeriodMs: Math.max(500, Math.round(lease / 6)),
      onStartedLeading: () => {
        logger.info('became leader; starting to reconcile');
        startReconciling();
      },
      onStoppedLeading: () => {
        logger.error('lost leadership; stopping');
        queue = undefined;
        void work.stop();
        process.exitCode = 1;
        opts.onLostLeadership?.();
      },
      onError: (err) => {
        logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'leader election');
      },
    });
    elector.start();
  } else {
    startReconciling();
  }
  logger.info(
    { port: http.port, meshProvider: config.meshProvider, namespace: config.namespace || '(all)' },
    'flagger-ts controller started',
  );
  return {
    metrics,
    deps,
    http,
    isLeader: () => elector?.isLeader ?? true,
    async stop() {
      clearInterval(totals);
      await templateStatus.stop();
      await alertProviderStatus.stop();
      await work.stop(SHUTDOWN_GRACE_MS);
      caches.stop();
      await elector?.stop();
      await deps.events.flush();
      await http.close();
      transport.close();
    },
  };
}
