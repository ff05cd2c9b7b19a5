// freePort hands out ports for components that bind them later, so it must stay out of the
// kernel's ephemeral range (where outgoing connections take source ports in between).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { freePort } from '../../../hack/cluster/proc.js';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]);

test('freePort: below the ephemeral range, distinct, and bindable', async () => {
  const ports: number[] = [];
  for (let i = 0; i < 50; i++) ports.push(await freePort());
  assert.equal(new Set(ports).size, ports.length, 'never the same port twice');
  for (const p of ports) {
    assert.ok(p >= 1024 && p < ephemeralLow, `${p} is below ${ephemeralLow}`);
  }
  const first = ports[0] ?? 0;
  await new Promise<void>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(first, '127.0.0.1', () => {
      srv.close(() => {
        resolve();
      });
    });
  });
});
