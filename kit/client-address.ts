/**
 * The address a request came from: the socket's, or, behind a proxy the deployment says it
 * trusts (TRUSTED_PROXIES), the nearest untrusted address of X-Forwarded-For. Never a
 * header from an untrusted peer, which anyone can write.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

export type ClientAddress = (request: IncomingMessage) => string;

export function clientAddress(trustedProxies: readonly string[]): ClientAddress {
  if (trustedProxies.length === 0) return (request) => request.socket.remoteAddress ?? 'unknown';
  const trusted = proxyAddr.compile([...trustedProxies]);
  return (request) => proxyAddr(request, trusted);
}
