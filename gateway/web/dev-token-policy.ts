/**
 * Whether a browser page request may be handed a dev token: never in production; otherwise
 * as BROWSER_DEV_TOKENS says. "loopback" needs both the socket and the Host header on
 * loopback, so a page on another site that rebinds its DNS name to 127.0.0.1 gets nothing.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import type { Settings } from '../../config/settings.ts';

export function mayHandOutDevToken(settings: Settings, request: IncomingMessage): boolean {
  if (settings.mode === 'production') return false;
  switch (settings.web.devTokens) {
    case 'never':
      return false;
    case 'always':
      return true;
    case 'loopback':
      return isLoopbackAddress(request.socket.remoteAddress) && isLoopbackHost(request.headers.host);
  }
}

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (isIP(v4) === 4) return v4.startsWith('127.');
  return address === '::1';
}

/** A Host header naming this machine: localhost (or a name under it), 127.x.x.x or [::1], any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  if (hostname === '[::1]') return true;
  return isIP(hostname) === 4 && hostname.startsWith('127.');
}
