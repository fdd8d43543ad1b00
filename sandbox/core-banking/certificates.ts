/**
 * Issuing X.509 certificates with WebCrypto (ECDSA P-256, SHA-256) through @peculiar/x509:
 * a self-signed CA and leaf certificates it signs, each returned as PEM.
 */
import { KeyObject, webcrypto } from 'node:crypto';
import './reflect-metadata.ts';

// Loaded dynamically: some loaders (Jest's) run CommonJS dependencies while linking, before
// any module body, so a static import would reach tsyringe before the shim is installed.
const x509 = await import('@peculiar/x509');

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/** A certificate and its private key, both PEM (the key as PKCS#8). */
export interface IssuedCertificate {
  readonly cert: string;
  readonly key: string;
}

/** A CA that can sign leaf certificates (its private key stays in memory as a CryptoKey). */
export interface CertificateAuthority extends IssuedCertificate {
  readonly name: string;
  readonly keys: CryptoKeyPair;
}

export interface LeafOptions {
  commonName: string;
  /** What the certificate may be used for: a TLS server, a TLS client, or both. */
  usage: 'server' | 'client';
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
}

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const VALIDITY_DAYS = 2 * 365;
const DAY_MS = 24 * 60 * 60 * 1000;
// Backdated a little so a peer whose clock runs behind still accepts a fresh certificate.
const CLOCK_SKEW_MS = 60 * 60 * 1000;

/** Makes a self-signed CA that may sign leaf certificates only (path length 0). */
export async function createCertificateAuthority(commonName: string): Promise<CertificateAuthority> {
  const keys = await generateKeys();
  const name = `CN=${commonName}`;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    keys,
    ...validity(),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { name, keys, cert: certificate.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

/** Makes a key pair and a certificate for it signed by the CA. */
export async function issueLeafCertificate(ca: CertificateAuthority, options: LeafOptions): Promise<IssuedCertificate> {
  const keys = await generateKeys();
  const alternativeNames = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const certificate = await x509.X509CertificateGenerator.create({
    subject: `CN=${options.commonName}`,
    issuer: ca.name,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    ...validity(),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      ...(alternativeNames.length > 0 ? [new x509.SubjectAlternativeNameExtension(alternativeNames)] : []),
    ],
  });
  return { cert: certificate.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

/** True when the PEM certificate is past its notAfter date (or cannot be read). */
export function isExpired(certPem: string, now = new Date()): boolean {
  try {
    return new x509.X509Certificate(certPem).notAfter.getTime() <= now.getTime();
  } catch {
    return true;
  }
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return String(KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }));
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - CLOCK_SKEW_MS), notAfter: new Date(now + VALIDITY_DAYS * DAY_MS) };
}
