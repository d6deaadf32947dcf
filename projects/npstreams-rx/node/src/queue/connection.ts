/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'bullmq';
import type { RedisOptions } from 'ioredis';

/** Raised for a queue URL that cannot be used, saying why (the password never appears). */
export class QueueUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueUrlError';
  }
}

/** Where the queue lives: ioredis options, and the URL as it may be shown (password hidden). */
export interface QueueConnection {
  /** ioredis' options: host, port, db, username, password, and `tls` for rediss://. */
  options: RedisOptions;
  /** The URL with its password as `***`: what logs and messages show. */
  display: string;
  /** Hides the password (and its URL-encoded spelling) in any text. */
  redact: (text: string) => string;
}

/** TLS settings of a rediss:// connection. */
export interface QueueTlsOptions {
  /** A PEM file (or its contents) of the certificate authority that signed the server's
   * certificate (default: Node's built-in authorities; env NPSTREAMS_RX_REDIS_CA names a file). */
  ca?: string | Buffer;
}

/**
 * The connection a queue URL describes: parses `redis://[user][:password@]host[:port][/db]` or
 * `rediss://...` (TLS) into ioredis options, what reduceOnQueue and queueWorker connect with.
 *
 * The host defaults to 127.0.0.1, the port to 6379, the database to 0. The user and password may
 * be URL-encoded; the password never appears in `display` or in errors. For rediss://, the
 * server's name goes as SNI (an IP address is checked against the certificate's IP addresses),
 * and the certificate authority is `tls.ca`, else the file named by the environment variable
 * NPSTREAMS_RX_REDIS_CA, else Node's built-in ones.
 *
 * @param url The queue's URL: `redis://[user][:password@]host[:port][/db]` or `rediss://...`.
 * @param tls `ca`: a PEM file's path, or its contents (for rediss://).
 * @param given What the URL was given as, which the errors begin with: the command line passes
 *   `--queue`, reduceOnQueue and queueWorker their `queue` option (default `parseQueueUrl`).
 * @returns The ioredis options, the URL as it may be shown, and a function hiding the password in
 *   any text. A URL that cannot be used throws a QueueUrlError saying why, without the password.
 *
 * @example
 * ```ts
 * import { parseQueueUrl } from 'npstreams-rx/node';
 *
 * const { options, display, redact } = parseQueueUrl('redis://:s3cret@cache.example:6380/2');
 * console.log(options.host, options.port, options.db); // cache.example 6380 2
 * console.log(display); // redis://:***@cache.example:6380/2
 * console.log(redact('auth s3cret refused')); // auth *** refused
 * ```
 */
export function parseQueueUrl(url: string, tls: QueueTlsOptions = {}, given = 'parseQueueUrl'): QueueConnection {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // the text may hold a password: say what is wrong without echoing it
    throw new QueueUrlError(`${given}: not a URL; expected redis://[:password@]host[:port][/db] or rediss://... for TLS`);
  }
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const redact = (text: string): string => {
    if (!password) return text;
    let out = text;
    for (const secret of new Set([password, u.password, encodeURIComponent(password)])) if (secret) out = out.split(secret).join('***');
    return out;
  };
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new QueueUrlError(`${given}: the scheme ${u.protocol} is not redis: or rediss:`);
  }
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new QueueUrlError(redact(`${given}: the database ${u.pathname.slice(1)} is not a non-negative integer`));
  const port = u.port ? Number(u.port) : 6379;
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const display = `${u.protocol}//${username ? `${username}:` : password ? ':' : ''}${password ? '***@' : username ? '@' : ''}${u.host}/${db}`;
  const options: RedisOptions = { host, port, db, username, password };
  if (u.protocol === 'rediss:') {
    const caFile = process.env['NPSTREAMS_RX_REDIS_CA'];
    const ca = tls.ca ?? (caFile ? readFileSync(caFile) : undefined);
    // SNI takes host names only (RFC 6066); an IP address is checked against the certificate's IP SANs
    options.tls = { ...(isIP(host) ? {} : { servername: host }), ...(ca ? { ca: typeof ca === 'string' && !ca.includes('-----BEGIN') ? readFileSync(ca) : ca } : {}) };
  }
  return { options, display, redact };
}

/** ioredis options as BullMQ's connection option (its own structural type of the same options),
 * for its blocking connections (workers, queue events): no per-request retry limit. */
export function bullConnection(options: RedisOptions): ConnectionOptions {
  return { ...options, maxRetriesPerRequest: null } as unknown as ConnectionOptions;
}
