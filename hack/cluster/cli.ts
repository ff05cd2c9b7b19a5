// Local control plane CLI: node dist/hack/cluster/cli.js up|down|status|env
import { down } from './down.js';
import { runDir } from './paths.js';
import { readState } from './state.js';
import { apiserverReady, componentStatuses } from './status.js';
import { up } from './up.js';

async function main(cmd: string | undefined): Promise<number> {
  switch (cmd) {
    case 'up': {
      const s = await up();
      process.stdout.write(`export KUBECONFIG=${s.kubeconfig}\n`);
      return 0;
    }
    case 'down':
      await down();
      process.stderr.write('cluster stopped\n');
      return 0;
    case 'status': {
      const s = readState(runDir());
      if (!s) {
        process.stdout.write(`no cluster in ${runDir()} (run: npm run cluster -- up)\n`);
        return 1;
      }
      const rows = componentStatuses(s);
      for (const r of rows)
        process.stdout.write(
          `${r.name.padEnd(24)} pid ${String(r.pid).padEnd(8)} ${r.alive ? 'running' : 'DEAD'}  log ${r.log}\n`,
        );
      const ready = await apiserverReady(s);
      process.stdout.write(
        `apiserver ${s.server} readyz: ${ready ? 'ok' : 'NOT READY'}\nprometheus ${s.prometheusUrl}\nkubeconfig ${s.kubeconfig}\n`,
      );
      return ready && rows.every((r) => r.alive) ? 0 : 1;
    }
    case 'env': {
      const s = readState(runDir());
      if (!s) return 1;
      process.stdout.write(
        `export KUBECONFIG=${s.kubeconfig}\nexport PROMETHEUS_URL=${s.prometheusUrl}\nexport PATH=${s.kubectl.replace(/\/kubectl$/, '')}:$PATH\n`,
      );
      return 0;
    }
    default:
      process.stderr.write('usage: cluster up|down|status|env\n');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`cluster: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
