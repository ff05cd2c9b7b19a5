// The cluster's state file: what `up` started, so `down`, `status` and the test
// harness find the same processes and endpoints.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ports } from './components.js';
import type { Started } from './proc.js';

export interface ClusterState {
  readonly dir: string;
  readonly kubeconfig: string;
  readonly server: string;
  readonly kubectl: string;
  readonly prometheusUrl: string;
  readonly prometheusTargetsDir: string;
  readonly ports: Ports;
  readonly processes: Started[];
  readonly startedAt: string;
}

export function stateFile(dir: string): string {
  return join(dir, 'state.json');
}

export function readState(dir: string): ClusterState | undefined {
  const f = stateFile(dir);
  if (!existsSync(f)) return undefined;
  return JSON.parse(readFileSync(f, 'utf8')) as ClusterState;
}

export function writeState(state: ClusterState): void {
  writeFileSync(stateFile(state.dir), JSON.stringify(state, null, 2));
}
