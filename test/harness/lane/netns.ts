// The lane's private namespaces. `unshare` gives the lane a network namespace of its own
// (nothing it does reaches the host's network), a PID namespace (when the lane's first
// process exits, the kernel kills everything it started: cluster, routers, Prometheus) and
// a mount namespace for a matching /proc. Inside, loopback is brought up and the whole pod
// range 10.244.0.0/16 is made local, so the pod-server can bind any pod IP KWOK hands out.
import { spawnSync } from 'node:child_process';

export const POD_CIDR = '10.244.0.0/16';

const SETUP = `ip link set lo up && ip route add local ${POD_CIDR} dev lo table local && exec "$@"`;

/** argv that runs `command` inside fresh namespaces (root: plain unshare; else a user namespace). */
export function inLaneNamespaces(command: readonly string[]): string[] {
  const user = process.getuid?.() === 0 ? [] : ['--map-root-user'];
  return [
    'unshare',
    ...user,
    '--net',
    '--pid',
    '--mount',
    '--mount-proc',
    '--fork',
    '--kill-child',
    '--',
    'sh',
    '-c',
    SETUP,
    'lane',
    ...command,
  ];
}

/** Why the lane cannot run here, or undefined when it can (tried, not guessed). */
export function laneUnavailable(): string | undefined {
  const argv = inLaneNamespaces(['true']);
  const res = spawnSync(argv[0] ?? 'unshare', argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  if (res.error) return `${argv[0] ?? 'unshare'}: ${res.error.message}`;
  if (res.status !== 0) return `unshare/ip failed (exit ${String(res.status)}): ${res.stderr.trim()}`;
  return undefined;
}

/** True inside the lane: the pod range is routed to loopback (never the case on a host). */
export function insideLane(): boolean {
  const res = spawnSync('ip', ['route', 'show', 'table', 'local', POD_CIDR], { encoding: 'utf8' });
  return res.status === 0 && res.stdout.includes(POD_CIDR);
}
