// InfluxDB /api/v2/query fake: POST with a Flux query (JSON body, "Authorization: Token"),
// answering annotated CSV (datatype, group, default annotations, CRLF line ends) or
// InfluxDB's JSON error {"code", "message"}. It does not evaluate Flux: every query
// gets the value the test set.
// https://docs.influxdata.com/influxdb/v2/api/#operation/PostQuery
import { json, startVendor, type VendorServer } from './common.js';

export function annotatedCsv(value: number | null): string {
  if (value === null) return '\r\n';
  const t = new Date().toISOString();
  return [
    '#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,double',
    '#group,false,false,true,true,false',
    '#default,_result,,,,',
    ',result,table,_start,_stop,_value',
    `,,0,${t},${t},${value}`,
    '',
    '',
  ].join('\r\n');
}

export function startInfluxdb(token: string, org: string): Promise<VendorServer> {
  return startVendor((req, res, state) => {
    if (req.headers.authorization !== `Token ${token}`) {
      return json(res, 401, { code: 'unauthorized', message: 'unauthorized access' });
    }
    if (req.method !== 'POST' || req.url.pathname !== '/api/v2/query')
      return json(res, 404, { code: 'not found', message: 'path not found' });
    if (req.url.searchParams.get('org') !== org) {
      return json(res, 404, {
        code: 'not found',
        message: `organization name "${req.url.searchParams.get('org') ?? ''}" not found`,
      });
    }
    let body: { query?: unknown; type?: unknown; dialect?: { annotations?: unknown } };
    try {
      body = JSON.parse(req.body) as typeof body;
    } catch {
      return json(res, 400, { code: 'invalid', message: 'failed to decode request body' });
    }
    if (typeof body.query !== 'string' || !body.query.includes('from(')) {
      return json(res, 400, {
        code: 'invalid',
        message: 'compilation failed: error at @1:1-1:1: expected an expression',
      });
    }
    if (state.failWith !== undefined)
      return json(res, state.failWith, { code: 'internal error', message: 'unexpected error' });
    res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
    res.end(annotatedCsv(state.value));
    return true;
  });
}
