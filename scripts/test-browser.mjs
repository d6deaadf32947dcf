// Runs the specs in headless Chromium through Karma (webgl, wasm and cpu backends).
// Finds Chromium (CHROME_BIN, then the usual paths); when there is none, installs Debian's
// `chromium` package where it can (root with apt-get), else fails saying how to get one.
// Prints `browser: N passed, N failed` and writes .tmp/results/browser.json.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import karma from 'karma';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function findChromium() {
  if (process.env.CHROME_BIN && existsSync(process.env.CHROME_BIN)) return process.env.CHROME_BIN;
  return CANDIDATES.find((p) => existsSync(p));
}

function installChromium() {
  const isRoot = process.getuid?.() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    throw new Error(
      'No Chromium found for the browser specs. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
        'or point CHROME_BIN at a Chromium/Chrome binary, then run `npm test` again.',
    );
  }
  console.log('No Chromium found: installing Debian\'s chromium package (apt-get)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
}

let chrome = findChromium();
if (!chrome) {
  installChromium();
  chrome = findChromium();
  if (!chrome) throw new Error('apt-get installed chromium but no binary was found at ' + CANDIDATES.join(', '));
}
process.env.CHROME_BIN = chrome;

const config = await karma.config.parseConfig(resolve('karma.conf.js'), {}, { promiseConfig: true, throwErrors: true });
const counts = { passed: 0, failed: 0, skipped: 0 };
const exitCode = await new Promise((done) => {
  const server = new karma.Server(config, done);
  server.on('run_complete', (_browsers, results) => {
    counts.failed = results.failed + (results.error ? 1 : 0);
    counts.passed = results.success;
  });
  server.on('browser_error', () => (counts.failed += 1));
  server.start();
});
if (exitCode !== 0 && counts.failed === 0) counts.failed = 1;
mkdirSync('.tmp/results', { recursive: true });
writeFileSync('.tmp/results/browser.json', JSON.stringify(counts));
console.log(`browser: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed || counts.passed === 0 ? 1 : 0);
