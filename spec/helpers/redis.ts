import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A free loopback TCP port (the kernel's pick, released for the server to take). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

export interface RedisServer {
  port: number;
  url: string;
  /** The process stops at once (SIGKILL): "Redis went away". */
  kill(): void;
  stop(): Promise<void>;
}

/**
 * A Redis server of the specs' own on a loopback port (Debian's redis-server, found or installed
 * by scripts/redis-server.mjs: NPSTREAMS_REDIS_SERVER), no persistence; `password` requires AUTH.
 * `extra` adds arguments (TLS).
 */
export async function startRedis(options: { password?: string; extra?: string[]; scheme?: 'redis' | 'rediss' } = {}): Promise<RedisServer> {
  const bin = process.env['NPSTREAMS_REDIS_SERVER'];
  if (!bin) throw new Error("no redis-server: install Debian's redis-server (apt-get install redis-server) or set NPSTREAMS_REDIS_SERVER");
  const port = await freePort();
  const args = options.extra ? ['--port', '0', '--tls-port', String(port), ...options.extra] : ['--port', String(port)];
  const child: ChildProcess = spawn(bin, [...args, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.password ? ['--requirepass', options.password] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const t0 = Date.now();
  while (!/Ready to accept connections/.test(log)) {
    if (child.exitCode !== null || Date.now() - t0 > 10000) throw new Error(`redis-server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    port,
    url: `${options.scheme ?? 'redis'}://${auth}127.0.0.1:${port}/0`,
    kill: () => child.kill('SIGKILL'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
