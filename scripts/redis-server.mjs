// Finds Redis for the queue specs and benchmark (issue 10): NPSTREAMS_REDIS_SERVER, then
// redis-server on the PATH and Debian's /usr/bin/redis-server. Where there is none, installs
// Debian's redis-server package (root with apt-get), as test-browser.mjs installs Chromium; the
// package's service is not used: the specs start their own servers on loopback ports. Returns
// the binary's path, or null (the specs then fail saying why).
import { spawnSync } from 'node:child_process';
import { aptInstall, canApt } from './apt.mjs';

const works = (bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status === 0;

export function redisServer() {
  const candidates = [process.env.NPSTREAMS_REDIS_SERVER, 'redis-server', '/usr/bin/redis-server'].filter(Boolean);
  const found = candidates.find(works);
  if (found) return found;
  if (!canApt()) return null;
  try {
    aptInstall('redis-server', 'No redis-server found', ['--no-install-recommends']);
  } catch {
    return null;
  }
  // the package starts its service where it can; the specs use servers of their own
  spawnSync('service', ['redis-server', 'stop'], { stdio: 'ignore' });
  return works('/usr/bin/redis-server') ? '/usr/bin/redis-server' : null;
}
