// Cloud Monitoring v3 fake: POST /v3/projects/<p>/timeSeries:query {"query": MQL},
// authenticated by a bearer JWT that must be signed (RS256) by the service account key
// the test created and carry the monitoring scope; Google's JSON error bodies.
// https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.timeSeries/query
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { json, startVendor, type VendorServer } from './common.js';

export interface ServiceAccount {
  readonly keyJson: string;
  readonly email: string;
  readonly publicKeyPem: string;
}

export function serviceAccount(project: string): ServiceAccount {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const email = `flagger@${project}.iam.gserviceaccount.com`;
  const keyJson = JSON.stringify({
    type: 'service_account',
    project_id: project,
    private_key_id: 'k1',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: email,
    client_id: '1',
    token_uri: 'https://oauth2.googleapis.com/token',
  });
  return { keyJson, email, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const unauthenticated = {
  error: {
    code: 401,
    message:
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    status: 'UNAUTHENTICATED',
  },
};

/** Checks a self-signed service-account JWT: signature, issuer, scope, expiry. */
function validJwt(auth: string | undefined, sa: ServiceAccount): boolean {
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(auth ?? '');
  if (m === null) return false;
  const [, h = '', p = '', sig = ''] = m;
  const ok = verify(
    'RSA-SHA256',
    Buffer.from(`${h}.${p}`),
    createPublicKey(sa.publicKeyPem),
    Buffer.from(sig, 'base64url'),
  );
  if (!ok) return false;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>;
  const now = Date.now() / 1000;
  return (
    claims['iss'] === sa.email &&
    (typeof claims['scope'] === 'string' ? claims['scope'] : '')
      .split(' ')
      .includes('https://www.googleapis.com/auth/monitoring.read') &&
    typeof claims['exp'] === 'number' &&
    claims['exp'] > now
  );
}

export function startStackdriver(project: string, sa: ServiceAccount): Promise<VendorServer> {
  return startVendor((req, res, state) => {
    if (!validJwt(req.headers.authorization, sa)) return json(res, 401, unauthenticated);
    if (req.method !== 'POST' || req.url.pathname !== `/v3/projects/${project}/timeSeries:query`) {
      return json(res, 404, {
        error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' },
      });
    }
    let query = '';
    try {
      const q = (JSON.parse(req.body) as { query?: unknown }).query;
      query = typeof q === 'string' ? q : '';
    } catch {
      return json(res, 400, {
        error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' },
      });
    }
    if (query.trim() === '') {
      return json(res, 400, {
        error: { code: 400, message: 'Query cannot be empty.', status: 'INVALID_ARGUMENT' },
      });
    }
    if (state.failWith !== undefined) {
      return json(res, state.failWith, {
        error: { code: state.failWith, message: 'Internal error encountered.', status: 'INTERNAL' },
      });
    }
    const end = new Date().toISOString();
    return json(res, 200, {
      timeSeriesDescriptor: {
        labelDescriptors: [],
        pointDescriptors: [{ key: 'value', valueType: 'DOUBLE', metricKind: 'GAUGE' }],
      },
      timeSeriesData:
        state.value === null
          ? []
          : [
              {
                labelValues: [],
                pointData: [
                  { values: [{ doubleValue: state.value }], timeInterval: { startTime: end, endTime: end } },
                ],
              },
            ],
    });
  });
}
