// `status`: is each recorded process alive, and does the API server answer /readyz?
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, probe } from './proc.js';
import type { ClusterState } from './state.js';

export interface ComponentStatus {
  readonly name: string;
  readonly pid: number;
  readonly alive: boolean;
  readonly log: string;
}

export function componentStatuses(state: ClusterState): ComponentStatus[] {
  return state.processes.map((p) => ({ name: p.name, pid: p.pid, alive: isAlive(p.pid), log: p.log }));
}

export async function apiserverReady(state: ClusterState): Promise<boolean> {
  const pki = join(state.dir, 'pki');
  try {
    const tls = {
      ca: readFileSync(join(pki, 'ca.crt')),
      cert: readFileSync(join(pki, 'admin.crt')),
      key: readFileSync(join(pki, 'admin.key')),
    };
    return (await probe(`${state.server}/readyz`, tls)) === 200;
  } catch {
    return false;
  }
}

export async function isClusterHealthy(state: ClusterState): Promise<boolean> {
  return componentStatuses(state).every((c) => c.alive) && (await apiserverReady(state));
}
