// --kubeconfig and --context as every command reads them, the operator included: the loader
// of kubeconfig-load.ts (KUBECONFIG, ~/.kube/config, in-cluster), failing with what to set
// instead of client-node's silent fall back to http://localhost:8080. No client-node here:
// the operator's process loads this module (see src/kube/client-node-auth.ts).
import { currentConfig, withContext, withServer, type KubeConfigData } from '../../kube/kubeconfig.js';
import { loadKubeConfig, NoKubeConfigError } from '../../kube/kubeconfig-load.js';
import { CliError, errorText } from './errors.js';

export interface KubeconfigFlags {
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
  /** Replaces the current cluster's server (Flagger's -master). */
  readonly master?: string | undefined;
}

/** The kubeconfig with a usable current context, or a CliError saying what to set. */
export function loadKubeConfigData(flags: KubeconfigFlags): KubeConfigData {
  let data: KubeConfigData;
  try {
    data = loadKubeConfig(flags.kubeconfig);
  } catch (err) {
    if (err instanceof NoKubeConfigError) throw new CliError(err.message);
    throw new CliError(`cannot load kubeconfig: ${errorText(err)} (set KUBECONFIG or pass --kubeconfig)`);
  }
  if (flags.context !== undefined) {
    try {
      data = withContext(data, flags.context);
    } catch (err) {
      throw new CliError(errorText(err));
    }
  }
  try {
    currentConfig(data);
  } catch (err) {
    throw new CliError(`${errorText(err)}: set KUBECONFIG, --kubeconfig or --context`);
  }
  return flags.master === undefined || flags.master === '' ? data : withServer(data, flags.master);
}
