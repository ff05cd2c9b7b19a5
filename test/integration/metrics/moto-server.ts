// moto's server (PyPI moto[server], pinned and installed by hack/metrics-backends/setup.sh
// into a venv under ~/.cache/flagger-ts) speaking the AWS CloudWatch API on a loopback
// port, and an SDK client to feed it with PutMetricData.
import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort, spawnBackend, waitReady } from './backend-process.js';

export const MOTO_VERSION = '5.2.5';

export function motoServerBin(): string {
  const cache = process.env['FLAGGER_TS_CACHE'] ?? join(homedir(), '.cache', 'flagger-ts');
  const bin = join(cache, `moto-${MOTO_VERSION}`, 'bin', 'moto_server');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run bash hack/metrics-backends/setup.sh`);
  return bin;
}

export interface Moto {
  readonly url: string;
  readonly region: string;
  put(
    namespace: string,
    name: string,
    dims: Record<string, string>,
    value: number,
    at?: Date,
    unit?: StandardUnit,
  ): Promise<void>;
}

export async function startMoto(t: TestContext): Promise<Moto> {
  const dir = mkdtempSync(join(tmpdir(), 'flagger-ts-moto-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const port = await freePort();
  const proc = spawnBackend(t, motoServerBin(), ['-H', '127.0.0.1', '-p', String(port)], {
    cwd: dir,
    log: join(dir, 'moto.log'),
  });
  const url = `http://127.0.0.1:${port}`;
  await waitReady('moto_server', proc, async () => (await fetch(`${url}/moto-api/`)).ok);
  const region = 'eu-west-1';
  const client = new CloudWatchClient({ region, endpoint: url });
  t.after(() => {
    client.destroy();
  });
  return {
    url,
    region,
    put: async (namespace, name, dims, value, at = new Date(), unit = 'Percent') => {
      await client.send(
        new PutMetricDataCommand({
          Namespace: namespace,
          MetricData: [
            {
              MetricName: name,
              Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })),
              Value: value,
              Timestamp: at,
              Unit: unit,
            },
          ],
        }),
      );
    },
  };
}
