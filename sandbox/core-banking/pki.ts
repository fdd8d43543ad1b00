/**
 * The core banking sandbox's own PKI: a CA, the server certificate and the banking subgraph's
 * client certificate, made at first use and kept as PEM files so that the subgraph (another
 * process) can read the same client certificate and CA.
 */
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createCertificateAuthority, isExpired, issueLeafCertificate, type IssuedCertificate } from './certificates.ts';

/** Where each PEM file lives. */
export interface PkiPaths {
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

/** The PEM files of the sandbox PKI and their contents. */
export interface Pki {
  readonly dir: string;
  readonly paths: PkiPaths;
  /** CA certificate: the server trusts clients it signed, clients trust the server through it. */
  readonly ca: string;
  readonly server: IssuedCertificate;
  readonly client: IssuedCertificate;
}

/** Subject CN of the CA certificate. */
export const CA_COMMON_NAME = 'Core Banking Sandbox CA';
/** Subject CN of the client certificate the banking subgraph presents. */
export const CLIENT_COMMON_NAME = 'banking-subgraph';
// `core-banking` is the sandbox's host name in docker-compose.yml.
const SERVER_NAMES = { dnsNames: ['localhost', 'core-banking'], ipAddresses: ['127.0.0.1', '::1'] };

/** The file paths of a PKI folder. */
export function pkiPaths(dir: string): PkiPaths {
  return {
    ca: path.join(dir, 'ca.crt'),
    serverCert: path.join(dir, 'server.crt'),
    serverKey: path.join(dir, 'server.key'),
    clientCert: path.join(dir, 'client.crt'),
    clientKey: path.join(dir, 'client.key'),
  };
}

/**
 * Loads the PKI from `dir`, or makes it there (folder included) when a file is missing or a
 * certificate has expired. Private keys are written with mode 0600.
 */
export async function loadOrCreatePki(dir: string): Promise<Pki> {
  const root = path.resolve(dir);
  const paths = pkiPaths(root);
  return (await load(root, paths)) ?? (await create(root, paths));
}

/**
 * A client certificate with the expected CN and usage, but signed by a throwaway CA the
 * sandbox does not trust: for tests that the handshake refuses it.
 */
export async function makeRogueClientCertificate(): Promise<IssuedCertificate & { ca: string }> {
  const rogueCa = await createCertificateAuthority('Rogue Test CA');
  const client = await issueLeafCertificate(rogueCa, { commonName: CLIENT_COMMON_NAME, usage: 'client' });
  return { ...client, ca: rogueCa.cert };
}

async function load(dir: string, paths: PkiPaths): Promise<Pki | undefined> {
  try {
    const [ca, serverCert, serverKey, clientCert, clientKey] = await Promise.all(
      [paths.ca, paths.serverCert, paths.serverKey, paths.clientCert, paths.clientKey].map((file) => readFile(file, 'utf8')),
    ) as [string, string, string, string, string];
    // An expired set would fail every handshake with an obscure error: start over instead.
    if ([ca, serverCert, clientCert].some((cert) => isExpired(cert))) return undefined;
    return { dir, paths, ca, server: { cert: serverCert, key: serverKey }, client: { cert: clientCert, key: clientKey } };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function create(dir: string, paths: PkiPaths): Promise<Pki> {
  const ca = await createCertificateAuthority(CA_COMMON_NAME);
  const server = await issueLeafCertificate(ca, { commonName: 'localhost', usage: 'server', ...SERVER_NAMES });
  const client = await issueLeafCertificate(ca, { commonName: CLIENT_COMMON_NAME, usage: 'client' });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeAtomically(paths.serverKey, server.key, 0o600);
  await writeAtomically(paths.clientKey, client.key, 0o600);
  await writeAtomically(paths.serverCert, server.cert, 0o644);
  await writeAtomically(paths.clientCert, client.cert, 0o644);
  await writeAtomically(paths.ca, ca.cert, 0o644);
  return { dir, paths, ca: ca.cert, server, client };
}

/** Write then rename, so a reader never sees half a file (two processes may start at once). */
async function writeAtomically(file: string, content: string, mode: number): Promise<void> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, { mode });
  await chmod(temporary, mode); // the umask may have narrowed or the file pre-existed
  await rename(temporary, file);
}
