// The operator's API server connection from Flagger's flags: -kubeconfig (else KUBECONFIG,
// ~/.kube/config, in-cluster), -master overriding the server, and -kubeconfig-service-mesh,
// which flagger-ts supports only when it names the same cluster.
import { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from './common/kube.js';

export interface ControllerKubeFlags {
  readonly kubeconfig?: string | undefined;
  readonly master?: string | undefined;
  readonly kubeconfigServiceMesh?: string | undefined;
}

/** `kc` with the current cluster's server replaced (Go's clientcmd.BuildConfigFromFlags master). */
function withServer(kc: KubeConfig, server: string): KubeConfig {
  const current = kc.getCurrentCluster();
  const out = new KubeConfig();
  out.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === current?.name ? { ...c, server } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: kc.getCurrentContext(),
  });
  return out;
}

function load(kubeconfig: string | undefined, master: string | undefined): KubeConfig {
  const kc = loadKubeConfig(kubeconfig === undefined ? {} : { kubeconfig });
  return master === undefined || master === '' ? kc : withServer(kc, master);
}

const serverOf = (kc: KubeConfig): string => kc.getCurrentCluster()?.server ?? '';

/**
 * Throws a CliError naming what to set when no configuration is found (instead of client-node's
 * fall back to http://localhost:8080, which loops on a TLS error), and an Error when the mesh
 * kubeconfig is another cluster: routing objects there is not implemented, and silently writing
 * them to the workload cluster would be wrong.
 */
export function controllerKubeConfig(flags: ControllerKubeFlags): KubeConfig {
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
