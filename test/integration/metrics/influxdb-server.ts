// A real InfluxDB 1.8.10 (built from the Go module proxy by hack/metrics-backends/setup.sh)
// with Flux enabled, so /api/v2/query runs real Flux and answers real annotated CSV.
// Authentication is off; a 1.8 server accepts (and ignores) the provider's token and org.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort, spawnBackend, waitReady } from './backend-process.js';

export const INFLUXDB_VERSION = '1.8.10';

export interface Influx {
  readonly url: string;
  /** InfluxQL statement (CREATE DATABASE …). */
  exec(q: string): Promise<void>;
  /** Line protocol into `db`. */
  write(db: string, lines: string): Promise<void>;
}

export async function startInfluxdb(t: TestContext): Promise<Influx> {
  const cache = process.env['FLAGGER_TS_CACHE'] ?? join(homedir(), '.cache', 'flagger-ts');
  const bin = join(cache, 'bin', `influxd-${INFLUXDB_VERSION}`, 'influxd');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run bash hack/metrics-backends/setup.sh`);
  const dir = mkdtempSync(join(tmpdir(), 'flagger-ts-influxdb-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const [http, rpc] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'influxdb.conf'),
    [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpc}"`,
      '[meta]',
      `  dir = "${dir}/meta"`,
      '[data]',
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      '  query-log-enabled = false',
      '[http]',
      `  bind-address = "127.0.0.1:${http}"`,
      '  flux-enabled = true',
      '  log-enabled = false',
      '[monitor]',
      '  store-enabled = false',
      '',
    ].join('\n'),
  );
  const proc = spawnBackend(t, bin, ['run', '-config', join(dir, 'influxdb.conf')], {
    cwd: dir,
    log: join(dir, 'influxd.log'),
  });
  const url = `http://127.0.0.1:${http}`;
  await waitReady('influxd', proc, async () => (await fetch(`${url}/ping`)).status === 204);
  const ok = async (res: Response): Promise<void> => {
    if (!res.ok) throw new Error(`influxdb: HTTP ${res.status}: ${await res.text()}`);
  };
  return {
    url,
    exec: async (q) => ok(await fetch(`${url}/query`, { method: 'POST', body: new URLSearchParams({ q }) })),
    write: async (db, lines) =>
      ok(await fetch(`${url}/write?db=${encodeURIComponent(db)}`, { method: 'POST', body: lines })),
  };
}
