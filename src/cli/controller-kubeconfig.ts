// The operator's API server connection from Flagger's flags: -kubeconfig (else KUBECONFIG,
// ~/.kube/config, in-cluster), -master overriding the server, and -kubeconfig-service-mesh,
// which flagger-ts supports only when it names the same cluster. Loaded by kubeconfig-load.ts,
// not client-node, so the operator's process does not carry client-node (see client-node-auth.ts).
import { currentConfig, type KubeConfigData } from '../kube/kubeconfig.js';
import { loadKubeConfigData } from './common/kubeconfig-flags.js';

export interface ControllerKubeFlags {
  readonly kubeconfig?: string | undefined;
  readonly master?: string | undefined;
  readonly kubeconfigServiceMesh?: string | undefined;
}

const load = (kubeconfig: string | undefined, master: string | undefined): KubeConfigData =>
  loadKubeConfigData({ kubeconfig, master });

const serverOf = (kc: KubeConfigData): string => currentConfig(kc).cluster.server;

/**
 * Throws a CliError naming what to set when no configuration is found (instead of client-node's
 * fall back to http://localhost:8080, which loops on a TLS error), and an Error when the mesh
 * kubeconfig is another cluster: routing objects there is not implemented, and silently writing
 * them to the workload cluster would be wrong.
 */
export function controllerKubeConfig(flags: ControllerKubeFlags): KubeConfigData {
  const kc = load(flags.kubeconfig, flags.master);
  const mesh = flags.kubeconfigServiceMesh;
  if (mesh !== undefined && mesh !== '' && mesh !== flags.kubeconfig) {
    const meshServer = serverOf(load(mesh, flags.master));
    if (meshServer !== serverOf(kc)) {
      throw new Error(
        `-kubeconfig-service-mesh points at ${meshServer}, another cluster than ${serverOf(kc)}: ` +
          'a separate service-mesh cluster is not supported by flagger-ts; drop the flag',
      );
    }
  }
  return kc;
}
