// Debian packages for what the tests need (Chromium, NumPy, Redis), installed on demand the way
// CI's machines allow: as root, with apt-get. No other package manager, no download of our own.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Whether this process may install Debian packages (root, with apt-get). */
export const canApt = () => process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');

/**
 * `apt-get update` then `apt-get install -y <package>` (noninteractive), saying why first. Throws
 * when apt-get fails; callers check `canApt()` before.
 */
export function aptInstall(pkg, why, extra = []) {
  console.log(`${why}: installing Debian's ${pkg} (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', ...extra, pkg], { stdio: 'inherit', env });
}
