import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkQueue } from '../../../src/controller/work-queue.js';

/** Resolves when `cond` holds, polling every few ms; fails after `ms`. */
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** A promise the test resolves by hand: a webhook or query that answers when told. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((r) => {
    open = r;
  });
  return { promise, open };
}

describe('WorkQueue', () => {
  it('a key whose handler hangs does not delay other keys', async () => {
    const hanging = gate();
    const done: string[] = [];
    const q = new WorkQueue(async (key) => {
      if (key.startsWith('slow')) await hanging.promise;
      done.push(key);
    });
    q.add('slow-1');
    q.add('slow-2');
    q.add('slow-3');
    for (let i = 0; i < 50; i++) q.add(`fast-${i}`);
    await until(() => done.length === 50);
    assert.ok(done.every((k) => k.startsWith('fast')));
    assert.equal(q.active, 3);
    hanging.open();
    await q.idle();
    assert.equal(done.length, 53);
  });

  it('never runs one key twice at once, and runs it again when it was added meanwhile', async () => {
    const first = gate();
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    const q = new WorkQueue(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      runs++;
      if (runs === 1) await first.promise;
      running--;
    });
    q.add('a');
    await until(() => runs === 1);
    q.add('a');
    q.add('a');
    first.open();
    await until(() => runs === 2);
    await q.idle();
    assert.equal(maxRunning, 1);
    assert.equal(runs, 2);
  });

  it('an explicit concurrency bound is still honoured', async () => {
    const hold = gate();
    let running = 0;
    const q = new WorkQueue(
      async () => {
        running++;
        await hold.promise;
        running--;
      },
      { concurrency: 2 },
    );
    for (const k of ['a', 'b', 'c', 'd']) q.add(k);
    await until(() => running === 2);
    assert.equal(q.pending, 4);
    hold.open();
    await q.idle();
    assert.equal(running, 0);
  });

  it('retries a failing key with back-off', async () => {
    let calls = 0;
    const q = new WorkQueue(
      () => {
        calls++;
        return calls < 3 ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
      { baseBackoffMs: 5, maxBackoffMs: 20 },
    );
    q.add('k');
    await until(() => calls === 3);
    await q.idle();
    assert.equal(calls, 3);
  });

  it('retryFailedNow() runs keys waiting out a back-off at once, and only those', async () => {
    let apiUp = false;
    const calls = new Map<string, number>();
    const q = new WorkQueue(
      (key) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        return apiUp ? Promise.resolve() : Promise.reject(new Error('connection refused'));
      },
      // A back-off far longer than the test: only retryFailedNow can run the keys again.
      { baseBackoffMs: 600_000, maxBackoffMs: 600_000 },
    );
    q.add('a');
    q.add('b');
    await until(() => calls.get('a') === 1 && calls.get('b') === 1 && q.pending === 0);
    q.add('idle', 600_000); // a requeue-after that did not fail: left alone
    apiUp = true;
    q.retryFailedNow();
    await until(() => calls.get('a') === 2 && calls.get('b') === 2);
    await q.idle();
    assert.equal(calls.get('idle'), undefined);
    await q.stop();
  });

  it('stop() lets running handlers finish within the grace, then aborts the rest', async () => {
    const quick = gate();
    const seen: { key: string; aborted: boolean }[] = [];
    const q = new WorkQueue(async (key, signal) => {
      if (key === 'quick') await quick.promise;
      else
        await new Promise((r) => {
          signal.addEventListener('abort', r, { once: true });
        });
      seen.push({ key, aborted: signal.aborted });
    });
    q.add('quick');
    q.add('hung');
    await until(() => q.active === 2);
    const stopping = q.stop(200);
    quick.open();
    await stopping;
    await until(() => seen.length === 2);
    assert.deepEqual(
      seen.find((s) => s.key === 'quick'),
      { key: 'quick', aborted: false },
    );
    assert.deepEqual(
      seen.find((s) => s.key === 'hung'),
      { key: 'hung', aborted: true },
    );
    q.add('after-stop');
    assert.equal(q.pending, 0);
  });
});
