// Runs the specs in headless Chromium through Karma (webgl, wasm and cpu backends).
// Chromium from scripts/chromium.mjs (CHROME_BIN, the usual paths, else Debian's package).
// Prints `browser: N passed, N failed` and writes .tmp/results/browser.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import karma from 'karma';
import { chromiumPath } from './chromium.mjs';

chromiumPath();

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
