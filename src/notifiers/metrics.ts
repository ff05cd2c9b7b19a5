// flagger_ts_alerts_total{provider, result}: every alert delivery attempt by outcome.
// provider = the notifier type (slack, msteams, ..., or "unknown" when the AlertProvider
// could not be read); result = sent | failed (post error or timeout) | invalid (the
// AlertProvider or its Secret is unusable, so nothing was posted).
import { Counter, type Registry } from 'prom-client';

export type AlertResult = 'sent' | 'failed' | 'invalid';
export type AlertCounter = (provider: string, result: AlertResult) => void;

export const ALERTS_TOTAL = 'flagger_ts_alerts_total';

/** Registers the counter on `registry` (or reuses it if already there) and returns an incrementer. */
export function registerAlertMetrics(registry: Registry): AlertCounter {
  const existing = registry.getSingleMetric(ALERTS_TOTAL);
  const counter =
    existing instanceof Counter
      ? existing
      : new Counter({
          name: ALERTS_TOTAL,
          help: 'Alerts posted to notifiers, by provider type and result',
          labelNames: ['provider', 'result'],
          registers: [registry],
        });
  return (provider, result) => {
    counter.inc({ provider, result });
  };
}
