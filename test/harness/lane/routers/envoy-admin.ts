// GET on an Envoy admin interface: Contour's Envoy listens on a unix socket (`unix:<path>`), the
// Kuma client's on loopback HTTP (`http://127.0.0.1:<port>`).
import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export function envoyAdminGet(adminUrl: string, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onAnswer = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
    };
    const req: ClientRequest = adminUrl.startsWith('unix:')
      ? request({ socketPath: adminUrl.slice('unix:'.length), path, method: 'GET', timeout: 5_000 }, onAnswer)
      : request(new URL(path, adminUrl), { method: 'GET', timeout: 5_000 }, onAnswer);
    req.on('timeout', () => req.destroy(new Error(`GET ${path} on Envoy admin timed out`)));
    req.on('error', reject);
    req.end();
  });
}
