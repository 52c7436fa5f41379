import { isIP } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';
import type { TlsFacts } from './facts.js';

export interface TlsProbeOptions {
  /** Connect plus handshake; default 10 s. */
  timeoutMs?: number;
  /** Extra trust anchors (PEM), for tests; default: Node's trust store. */
  ca?: string | string[];
}

/**
 * One TLS handshake with `host:port`, certificate checks reported instead of enforced: chain against the trust
 * store, host name (Node's checkServerIdentity) and validity period all end up in `valid`/`error`; `expiresAt` is
 * the leaf's notAfter. Rejects only when no handshake happens at all (refused, timeout, not TLS).
 */
export function probeTls(host: string, port: number, options: TlsProbeOptions = {}): Promise<TlsFacts> {
  const bareHost = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const connectOptions: ConnectionOptions = {
    host: bareHost,
    port,
    rejectUnauthorized: false,
    // SNI only for names: RFC 6066 forbids IP literals there (Node warns).
    ...(isIP(bareHost) ? {} : { servername: bareHost }),
    ...(options.ca !== undefined ? { ca: options.ca } : {}),
  };
  return new Promise<TlsFacts>((resolve, reject) => {
    let settled = false;
    const socket = connect(connectOptions);
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`TLS handshake with ${host}:${port} timed out after ${timeoutMs} ms`))), timeoutMs);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      const notAfter = cert && typeof cert.valid_to === 'string' ? Date.parse(cert.valid_to) : NaN;
      const error = socket.authorizationError;
      const facts: TlsFacts = {
        valid: socket.authorized,
        ...(!socket.authorized && error !== undefined && error !== null ? { error: typeof error === 'string' ? error : ((error as Error & { code?: string }).code ?? error.message) } : {}),
        ...(!Number.isNaN(notAfter) ? { expiresAt: new Date(notAfter).toISOString() } : {}),
      };
      finish(() => resolve(facts));
    });
    socket.once('error', (e) => finish(() => reject(new Error(`TLS handshake with ${host}:${port} failed: ${e.message}`))));
  });
}
