// New Relic Insights query API fake: GET /v1/accounts/<id>/query?nrql=…, X-Query-Key.
// https://docs.newrelic.com/docs/apis/insights-apis/query-insights-event-data-api/
import { json, startVendor, type VendorServer } from './common.js';

export function startNewRelic(accountId: string, queryKey: string): Promise<VendorServer> {
  return startVendor((req, res, state) => {
    if (req.url.pathname !== `/v1/accounts/${accountId}/query`) return json(res, 404, { error: 'Not Found' });
    if (req.headers['x-query-key'] !== queryKey) {
      return json(res, 401, { error: 'Invalid query key' });
    }
    const nrql = req.url.searchParams.get('nrql') ?? '';
    if (!/\bSINCE \d+ seconds ago$/.test(nrql))
      return json(res, 400, { error: `NRQL Syntax Error: ${nrql}` });
    if (state.failWith !== undefined) return json(res, state.failWith, { error: 'Internal error' });
    return json(res, 200, {
      results: [{ result: state.value }],
      metadata: { eventTypes: ['Metric'], contents: [{ function: 'alias', alias: 'result' }] },
    });
  });
}
