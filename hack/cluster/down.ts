// `down`: stop exactly the processes `up` recorded (reverse order), then remove the run dir.
import { rmSync } from 'node:fs';
import { runDir } from './paths.js';
import { stopPid } from './proc.js';
import { readState } from './state.js';

export async function down(opts: { keepDir?: boolean } = {}): Promise<void> {
  const dir = runDir();
  const state = readState(dir);
  for (const p of [...(state?.processes ?? [])].reverse()) await stopPid(p.pid);
  if (opts.keepDir !== true) rmSync(dir, { recursive: true, force: true });
}
