// Chat notifiers for Canary alerts: the entry point for the controller shell.
export {
  createAlertDispatcher,
  sendAlert,
  DEFAULT_ALERT_DEADLINE_MS,
  type AlertDispatcher,
  type AlertDispatcherOptions,
  type AlertInput,
  type AlertReport,
  type SendAlertOptions,
  type SendOptions,
} from './dispatch.js';
export {
  createGlobalNotifier,
  globalNotifierConfigFromEnv,
  type GlobalNotifierConfig,
  type GlobalNotifierSetup,
} from './global.js';
export { ALERTS_TOTAL, registerAlertMetrics, type AlertCounter, type AlertResult } from './metrics.js';
export {
  DEFAULT_NOTIFIER_TIMEOUT_MS,
  NotifierError,
  type AlertMessage,
  type Notifier,
  type NotifierConfig,
  type NotifierErrorKind,
} from './notifier.js';
export { createNotifier } from './factory.js';
export {
  alertReceives,
  selectNotifiers,
  withClusterField,
  type AlertResolver,
  type AlertSelection,
  type AlertTarget,
  type RoutingContext,
  type RoutingProblem,
} from './routing.js';
export { checkMessageTemplate, renderMessageTemplate, type RenderResult } from './template.js';
