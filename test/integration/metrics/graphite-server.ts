// Real Graphite from Debian (graphite-carbon + graphite-web, installed by
// hack/metrics-backends/setup.sh) as two local processes in a temp dir: carbon-cache
// receiving the plaintext protocol, and graphite-web (Django's server) answering
// /render from the whisper files and, through carbonlink, carbon's cache.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { freePort, listening, spawnBackend, waitReady } from './backend-process.js';

// Debian's interpreter: graphite-web and carbon are installed for it, not for any other python3.
const PYTHON = '/usr/bin/python3';
const CARBON = '/usr/bin/carbon-cache';

export interface Graphite {
  readonly url: string;
  /** Sends "<path> <value> <timestamp>" lines over the plaintext protocol. */
  send(path: string, value: number, at?: Date): Promise<void>;
}

export async function startGraphite(t: TestContext): Promise<Graphite> {
  const dir = mkdtempSync(join(tmpdir(), 'flagger-ts-graphite-'));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const [line, pickle, cacheQuery, web] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const storage = join(dir, 'storage');
  for (const d of ['whisper', 'log/webapp', 'lists']) mkdirSync(join(storage, d), { recursive: true });
  mkdirSync(join(dir, 'conf'));
  mkdirSync(join(dir, 'py'));
  writeFileSync(
    join(dir, 'conf', 'carbon.conf'),
    [
      '[cache]',
      `STORAGE_DIR = ${storage}/`,
      `LOCAL_DATA_DIR = ${storage}/whisper/`,
      `WHITELISTS_DIR = ${storage}/lists/`,
      `CONF_DIR = ${dir}/conf/`,
      `LOG_DIR = ${storage}/log/`,
      `PID_DIR = ${storage}/`,
      'ENABLE_LOGROTATION = False',
      'USER =',
      'MAX_CACHE_SIZE = inf',
      'MAX_UPDATES_PER_SECOND = 10000',
      'MAX_CREATES_PER_MINUTE = inf',
      'LINE_RECEIVER_INTERFACE = 127.0.0.1',
      `LINE_RECEIVER_PORT = ${line}`,
      'ENABLE_UDP_LISTENER = False',
      'PICKLE_RECEIVER_INTERFACE = 127.0.0.1',
      `PICKLE_RECEIVER_PORT = ${pickle}`,
      'CACHE_QUERY_INTERFACE = 127.0.0.1',
      `CACHE_QUERY_PORT = ${cacheQuery}`,
      '',
    ].join('\n'),
  );
  // One-second resolution so a test sees each value it sends.
  writeFileSync(join(dir, 'conf', 'storage-schemas.conf'), '[all]\npattern = .*\nretentions = 1s:1h\n');
  writeFileSync(
    join(dir, 'py', 'flagger_ts_graphite.py'),
    [
      "SECRET_KEY = 'flagger-ts-test'",
      `STORAGE_DIR = '${storage}/'`,
      `CARBONLINK_HOSTS = ['127.0.0.1:${cacheQuery}']`,
      "ALLOWED_HOSTS = ['127.0.0.1']",
      '',
    ].join('\n'),
  );
  const carbon = spawnBackend(t, CARBON, [`--config=${dir}/conf/carbon.conf`, '--debug', 'start'], {
    cwd: dir,
    log: join(dir, 'carbon.log'),
  });
  const env = {
    GRAPHITE_SETTINGS_MODULE: 'flagger_ts_graphite',
    PYTHONPATH: join(dir, 'py'),
    DJANGO_SETTINGS_MODULE: 'graphite.settings',
  };
  const migrate = spawnBackend(t, PYTHON, ['-m', 'django', 'migrate', '--run-syncdb', '-v0'], {
    cwd: dir,
    env,
    log: join(dir, 'migrate.log'),
  });
  await new Promise<void>((resolve, reject) =>
    migrate.child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`graphite-web migrate failed; see ${migrate.log}`));
    }),
  );
  const webapp = spawnBackend(t, PYTHON, ['-m', 'django', 'runserver', `127.0.0.1:${web}`, '--noreload'], {
    cwd: dir,
    env,
    log: join(dir, 'web.log'),
  });
  const url = `http://127.0.0.1:${web}`;
  await waitReady('carbon-cache', carbon, () => listening(line));
  await waitReady(
    'graphite-web',
    webapp,
    async () => (await fetch(`${url}/render?target=none&format=json`)).ok,
  );
  return {
    url,
    send: (path, value, at = new Date()) =>
      new Promise<void>((resolve, reject) => {
        const s = net.connect(line, '127.0.0.1', () => {
          s.end(`${path} ${value} ${Math.floor(at.getTime() / 1000)}\n`, () => {
            resolve();
          });
        });
        s.once('error', reject);
      }),
  };
}
