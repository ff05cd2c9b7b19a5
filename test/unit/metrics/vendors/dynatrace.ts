// Dynatrace Metrics API v2 fake: GET /api/v2/metrics/query and GET /api/v2/metrics,
// "Authorization: Api-Token <t>"; errors as {"error": {"code", "message"}}.
// https://docs.dynatrace.com/docs/dynatrace-api/environment-api/metric-v2/get-data-points
import { json, startVendor, type VendorServer } from './common.js';

export function startDynatrace(token: string): Promise<VendorServer> {
  return startVendor((req, res, state) => {
    if (req.headers.authorization !== `Api-Token ${token}`) {
      return json(res, 401, { error: { code: 401, message: 'Missing authorization parameter.' } });
    }
    if (req.url.pathname === '/api/v2/metrics') {
      return json(res, 200, {
        totalCount: 1,
        nextPageKey: null,
        metrics: [{ metricId: 'builtin:service.errors.total.rate' }],
      });
    }
    if (req.url.pathname !== '/api/v2/metrics/query')
      return json(res, 404, { error: { code: 404, message: 'Not found' } });
    const q = req.url.searchParams;
    const from = Number(q.get('from'));
    const to = Number(q.get('to'));
    if (!q.get('metricSelector') || !(from < to)) {
      return json(res, 400, {
        error: { code: 400, message: 'Constraints violated.', constraintViolations: [] },
      });
    }
    if (state.failWith !== undefined) {
      return json(res, state.failWith, { error: { code: state.failWith, message: 'Internal error' } });
    }
    return json(res, 200, {
      totalCount: 1,
      nextPageKey: null,
      resolution: q.get('resolution') ?? 'Inf',
      result: [
        {
          metricId: q.get('metricSelector'),
          dataPointCountRatio: 0.0001,
          dimensionCountRatio: 0.001,
          data:
            state.value === null
              ? []
              : [{ dimensions: [], dimensionMap: {}, timestamps: [to], values: [state.value] }],
        },
      ],
    });
  });
}
