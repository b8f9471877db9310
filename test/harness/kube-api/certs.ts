/** A throwaway CA, server and client certificates made with the `openssl` CLI (EC P-256, as K3s uses). */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertPair {
  certPem: string;
  keyPem: string;
}

export interface ClusterCerts {
  ca: CertPair;
  server: CertPair;
  /** `system:admin` in group `system:masters`, like K3s's k3s.yaml user. */
  admin: CertPair;
  /** Signs further client certificates (kubelet certs handed to joining agents). */
  issueClient(name: string, cn: string, org: string): Promise<CertPair>;
}

async function newKey(path: string): Promise<void> {
  await run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
}

async function read(dir: string, base: string): Promise<CertPair> {
  const [certPem, keyPem] = await Promise.all([readFile(join(dir, `${base}.crt`), 'utf8'), readFile(join(dir, `${base}.key`), 'utf8')]);
  return { certPem, keyPem };
}

async function sign(dir: string, base: string, subject: string, extensions: string): Promise<CertPair> {
  const key = join(dir, `${base}.key`);
  await newKey(key);
  await run('openssl', ['req', '-new', '-key', key, '-subj', subject, '-out', join(dir, `${base}.csr`)]);
  const ext = join(dir, `${base}.ext`);
  await writeFile(ext, extensions);
  await run('openssl', [
    'x509', '-req', '-in', join(dir, `${base}.csr`), '-CA', join(dir, 'ca.crt'), '-CAkey', join(dir, 'ca.key'), '-CAcreateserial',
    '-days', '365', '-sha256', '-extfile', ext, '-out', join(dir, `${base}.crt`),
  ]);
  return read(dir, base);
}

/** Writes everything under `dir` (a temp dir the caller removes). */
export async function makeClusterCerts(dir: string): Promise<ClusterCerts> {
  const caKey = join(dir, 'ca.key');
  await newKey(caKey);
  const stamp = Math.floor(Date.now() / 1000);
  await run('openssl', [
    'req', '-x509', '-new', '-key', caKey, '-sha256', '-days', '3650', '-subj', `/CN=k3s-server-ca@${stamp}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature', '-out', join(dir, 'ca.crt'),
  ]);
  const ca = await read(dir, 'ca');
  const server = await sign(
    dir,
    'server',
    '/O=k3s/CN=k3s',
    'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,IP:127.0.0.1\n',
  );
  const clientExt = 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';
  const admin = await sign(dir, 'admin', '/O=system:masters/CN=system:admin', clientExt);
  return {
    ca,
    server,
    admin,
    issueClient: (name, cn, org) => sign(dir, name.replace(/[^a-zA-Z0-9.-]/g, '_'), `/O=${org}/CN=${cn}`, clientExt),
  };
}
