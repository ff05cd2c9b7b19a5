// POST of a review object (TokenReview, SelfSubjectReview, SelfSubjectAccessReview).
// Reviews are not stored objects: the answer has no metadata.name, so the generic
// KubeClient (which insists on a real object) cannot carry them.
import type { KubeConfig } from '@kubernetes/client-node';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request } from 'node:https';
import { KubeApiError, statusDetails } from '../kube/errors.js';

export async function postReview(kc: KubeConfig, path: string, body: unknown): Promise<unknown> {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig has no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  const payload = JSON.stringify(body);
  const opts: RequestOptions & { rejectUnauthorized?: boolean } = {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(payload),
    },
    timeout: 10_000,
  };
  await kc.applyToHTTPSOptions(opts);
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? request : httpRequest;
    const req = send(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        } catch {
          parsed = undefined;
        }
        const code = res.statusCode ?? 0;
        if (code >= 300) reject(new KubeApiError('create', undefined, statusDetails(code, parsed)));
        else resolve(parsed);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`POST ${path}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}
