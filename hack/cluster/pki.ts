// Certificates for a loopback-only control plane, made with openssl: one CA,
// the API server's serving certificate, one admin client certificate
// (system:masters) shared by every component, the service-account key pair, and the
// front-proxy CA and client certificate the aggregation layer presents to aggregated
// APIs (external.metrics.k8s.io adapters), as kubeadm sets them up.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Pki {
  readonly caCert: string;
  readonly caKey: string;
  readonly apiserverCert: string;
  readonly apiserverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly saKey: string;
  readonly saPub: string;
  readonly frontProxyCaCert: string;
  readonly frontProxyClientCert: string;
  readonly frontProxyClientKey: string;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0] ?? ''} failed: ${stderr.trim() || String(err)}`);
  }
}

/** A leaf certificate `<name>.crt`/`<name>.key` in `dir`, signed by `<ca>.crt`/`<ca>.key` there. */
export function signLeaf(dir: string, name: string, subject: string, extensions: string, ca = 'ca'): void {
  openssl(
    [
      'req',
      '-new',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      subject,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
    ],
    dir,
  );
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      `${ca}.crt`,
      '-CAkey',
      `${ca}.key`,
      '-CAcreateserial',
      '-days',
      '3650',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

/** A self-signed CA `<name>.crt`/`<name>.key` in `dir`. */
export function makeCa(dir: string, name: string, commonName: string): void {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '3650',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
}

/** Name the API server's front proxy presents; aggregated APIs accept only this one. */
export const FRONT_PROXY_CLIENT_NAME = 'front-proxy-client';

export function generatePki(dir: string): Pki {
  makeCa(dir, 'ca', 'flagger-ts-local-ca');
  const sans = [
    'DNS:localhost',
    'DNS:kubernetes',
    'DNS:kubernetes.default',
    'DNS:kubernetes.default.svc',
    'DNS:kubernetes.default.svc.cluster.local',
    'IP:127.0.0.1',
    'IP:10.96.0.1',
  ].join(',');
  const usage = 'keyUsage=critical,digitalSignature,keyEncipherment\n';
  signLeaf(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    `subjectAltName=${sans}\nextendedKeyUsage=serverAuth\n${usage}`,
  );
  signLeaf(dir, 'admin', '/O=system:masters/CN=kube-admin', `extendedKeyUsage=clientAuth\n${usage}`);
  makeCa(dir, 'front-proxy-ca', 'flagger-ts-front-proxy-ca');
  signLeaf(
    dir,
    'front-proxy-client',
    `/CN=${FRONT_PROXY_CLIENT_NAME}`,
    `extendedKeyUsage=clientAuth\n${usage}`,
    'front-proxy-ca',
  );
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const p = (f: string): string => join(dir, f);
  return {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    apiserverCert: p('apiserver.crt'),
    apiserverKey: p('apiserver.key'),
    adminCert: p('admin.crt'),
    adminKey: p('admin.key'),
    saKey: p('sa.key'),
    saPub: p('sa.pub'),
    frontProxyCaCert: p('front-proxy-ca.crt'),
    frontProxyClientCert: p('front-proxy-client.crt'),
    frontProxyClientKey: p('front-proxy-client.key'),
  };
}

export function kubeconfigYaml(server: string, pki: Pki): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: flagger-ts-local',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority: ${pki.caCert}`,
    'users:',
    '- name: admin',
    '  user:',
    `    client-certificate: ${pki.adminCert}`,
    `    client-key: ${pki.adminKey}`,
    'contexts:',
    '- name: flagger-ts-local',
    '  context: {cluster: flagger-ts-local, user: admin, namespace: default}',
    'current-context: flagger-ts-local',
    '',
  ].join('\n');
}
