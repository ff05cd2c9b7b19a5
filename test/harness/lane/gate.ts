// A confirm-traffic-increase gate the test opens one step at a time: each `allow()` lets
// exactly one gate call pass (HTTP 200); every other call is refused, so the operator holds
// the weight it reached while the test measures the split the backends receive.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export interface StepGate {
  readonly url: string;
  /** Lets the next `n` gate calls pass. */
  allow(n?: number): void;
  /** Gate calls so far (passed or refused). */
  readonly calls: () => number;
}

export async function startStepGate(t: TestContext): Promise<StepGate> {
  let tokens = 0;
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      const pass = tokens > 0;
      if (pass) tokens--;
      res.statusCode = pass ? 200 : 403;
      res.end(pass ? 'approved' : 'waiting for the test to measure this step');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => {
    server.close();
    server.closeAllConnections();
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/gate`,
    allow: (n = 1) => {
      tokens += n;
    },
    calls: () => calls,
  };
}
