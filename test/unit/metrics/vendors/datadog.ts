// Datadog API v1 fake: GET /api/v1/query (timeseries points) and GET /api/v1/validate,
// authenticated by DD-API-KEY + DD-APPLICATION-KEY; errors as {"errors": [...]}.
// https://docs.datadoghq.com/api/latest/metrics/#query-timeseries-points
import { json, startVendor, type VendorServer } from './common.js';

export function startDatadog(apiKey: string, appKey: string): Promise<VendorServer> {
  return startVendor((req, res, state) => {
    if (req.headers['dd-api-key'] !== apiKey) return json(res, 403, { errors: ['Forbidden'] });
    if (req.url.pathname === '/api/v1/validate') return json(res, 200, { valid: true });
    if (req.url.pathname !== '/api/v1/query') return json(res, 404, { errors: ['Not found'] });
    if (req.headers['dd-application-key'] !== appKey) return json(res, 403, { errors: ['Forbidden'] });
    const q = req.url.searchParams;
    const from = Number(q.get('from'));
    const to = Number(q.get('to'));
    if (!q.get('query') || !Number.isInteger(from) || !Number.isInteger(to) || from >= to) {
      return json(res, 400, { errors: ["Error parsing query: missing or invalid 'query', 'from' or 'to'"] });
    }
    if (state.failWith !== undefined) return json(res, state.failWith, { errors: ['Internal Server Error'] });
    const series =
      state.value === null
        ? []
        : [
            {
              metric: 'custom.metric',
              display_name: 'custom.metric',
              expression: q.get('query'),
              scope: '*',
              unit: null,
              interval: 60,
              length: 2,
              start: from * 1000,
              end: to * 1000,
              pointlist: [
                [from * 1000, state.value],
                [to * 1000, state.value + 1000],
              ],
            },
          ];
    return json(res, 200, {
      status: 'ok',
      res_type: 'time_series',
      from_date: from * 1000,
      to_date: to * 1000,
      query: q.get('query'),
      message: '',
      series,
    });
  });
}
