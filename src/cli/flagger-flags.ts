// Flagger's command line as Flagger's manifests write it (Go's flag package: `-name=value`,
// `-name value`, `--name`, bare booleans), turned into the double-dash form commander parses.
// Every flag of Flagger 1.44's cmd/flagger (and the klog flags it registers) is either acted
// on or reported as ignored with a reason, so a Flagger Deployment switched to this image
// starts and says what it does not do.

type Kind = 'string' | 'bool';

interface FlagSpec {
  readonly kind: Kind;
  /** Why flagger-ts does not act on it; absent = acted on. */
  readonly ignored?: string;
}

const KLOG = 'a klog (client-go logging) flag; flagger-ts logs JSON through -log-level';
const acted = (kind: Kind): FlagSpec => ({ kind });
const ignored = (kind: Kind, reason: string): FlagSpec => ({ kind, ignored: reason });

/** Flagger 1.44's flags (cmd/flagger/main.go) plus klog.InitFlags, by name. */
export const FLAGGER_FLAGS: Readonly<Record<string, FlagSpec>> = {
  kubeconfig: acted('string'),
  master: acted('string'),
  'kubeconfig-qps': ignored(
    'string',
    'flagger-ts has no client-side rate limiter (it reads each object at most once per reconcile)',
  ),
  'kubeconfig-burst': ignored('string', 'flagger-ts has no client-side rate limiter'),
  'kubeconfig-service-mesh': acted('string'),
  'metrics-server': acted('string'),
  'control-loop-interval': ignored(
    'string',
    'flagger-ts is watch-driven: each canary is requeued at its own analysis.interval',
  ),
  'log-level': acted('string'),
  port: acted('string'),
  'slack-url': acted('string'),
  'slack-token': acted('string'),
  'slack-proxy-url': acted('string'),
  'slack-user': acted('string'),
  'slack-channel': acted('string'),
  'event-webhook': acted('string'),
  'msteams-url': acted('string'),
  'msteams-proxy-url': acted('string'),
  'include-label-prefix': acted('string'),
  threadiness: acted('string'),
  'zap-replace-globals': ignored('bool', 'there is no global logger to replace'),
  'zap-encoding': acted('string'),
  namespace: acted('string'),
  'mesh-provider': acted('string'),
  'selector-labels': acted('string'),
  'ingress-annotations-prefix': acted('string'),
  'ingress-class': acted('string'),
  'enable-leader-election': acted('bool'),
  'leader-election-namespace': acted('string'),
  'enable-config-tracking': acted('bool'),
  version: acted('bool'),
  'cluster-name': acted('string'),
  'no-cross-namespace-refs': acted('bool'),
  // klog.InitFlags(nil)
  v: ignored('string', KLOG),
  vmodule: ignored('string', KLOG),
  logtostderr: ignored('bool', KLOG),
  alsologtostderr: ignored('bool', KLOG),
  log_dir: ignored('string', KLOG),
  log_file: ignored('string', KLOG),
  log_file_max_size: ignored('string', KLOG),
  skip_headers: ignored('bool', KLOG),
  skip_log_headers: ignored('bool', KLOG),
  stderrthreshold: ignored('string', KLOG),
  one_output: ignored('bool', KLOG),
  add_dir_header: ignored('bool', KLOG),
  log_backtrace_at: ignored('string', KLOG),
};

/** Go's strconv.ParseBool. */
export function parseGoBool(flag: string, value: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(value)) return false;
  throw new Error(`invalid boolean value ${JSON.stringify(value)} for flag -${flag}`);
}

export interface NormalizedArgs {
  /** The arguments in commander's `--name=value` form. */
  readonly args: string[];
  /** One entry per ignored flag: `-name=value (reason)`. */
  readonly ignored: string[];
}

/** How each of Flagger's boolean flags is spelled for commander. */
function boolArg(name: string, on: boolean): string[] {
  switch (name) {
    case 'enable-config-tracking':
      return [`--enable-config-tracking=${String(on)}`];
    default:
      // enable-leader-election, no-cross-namespace-refs, version: plain switches.
      return on ? [`--${name}`] : [];
  }
}

/**
 * `-mesh-provider=istio -log-level warning -enable-config-tracking=false -kubeconfig-qps 50`
 * → `--mesh-provider=istio --log-level=warning --enable-config-tracking=false`, with
 * `-kubeconfig-qps=50` reported as ignored. Flags that are not Flagger's (flagger-ts' own,
 * or unknown ones) are passed on with two dashes, so commander accepts or rejects them.
 */
export function normalizeFlaggerArgs(argv: readonly string[]): NormalizedArgs {
  const args: string[] = [];
  const ignoredFlags: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(arg);
    const name = m?.[1];
    if (m === null || name === undefined) {
      args.push(arg);
      continue;
    }
    const inline = m[2];
    const spec = FLAGGER_FLAGS[name];
    if (spec === undefined) {
      args.push(arg.startsWith('--') ? arg : `-${arg}`);
      continue;
    }
    let value = inline;
    if (spec.kind === 'string' && value === undefined) {
      value = argv[i + 1];
      if (value === undefined) throw new Error(`flag needs an argument: -${name}`);
      i++;
    }
    if (spec.ignored !== undefined) {
      ignoredFlags.push(`-${name}${value === undefined ? '' : `=${value}`} (${spec.ignored})`);
      continue;
    }
    if (spec.kind === 'bool') args.push(...boolArg(name, value === undefined || parseGoBool(name, value)));
    else args.push(`--${name}=${value ?? ''}`);
  }
  return { args, ignored: ignoredFlags };
}

/** Flagger's (zap's) level names → the logger's. */
const LOG_LEVELS: Readonly<Record<string, 'debug' | 'info' | 'warn' | 'error'>> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  dpanic: 'error',
  panic: 'error',
  fatal: 'error',
};

export function flaggerLogLevel(value: string | undefined): 'debug' | 'info' | 'warn' | 'error' | undefined {
  if (value === undefined) return undefined;
  const level = LOG_LEVELS[value.toLowerCase()];
  if (level === undefined) {
    throw new Error(`invalid -log-level ${JSON.stringify(value)} (debug, info, warning, error)`);
  }
  return level;
}
