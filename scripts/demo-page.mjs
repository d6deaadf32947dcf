// The built dashboard in headless Chromium, for the end-to-end test and the dashboard benchmark:
// builds it (`ng build demo`, production) unless asked not to, serves dist/demo/browser on a
// loopback port, and launches Debian's Chromium (scripts/chromium.mjs) through playwright-core
// with the flags the browser specs use (SwiftShader's WebGL and WebGPU).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from './chromium.mjs';

const ROOT = resolve('dist/demo/browser');
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.ico': 'image/x-icon' };

/** `ng build demo` (production) in `cwd` (default: here); throws with the build's output when it fails. */
export function buildDemo({ cwd = '.' } = {}) {
  const ng = createRequire(import.meta.url).resolve('@angular/cli/bin/ng.js');
  const run = spawnSync(process.execPath, [ng, 'build', 'demo', '--progress=false'], { cwd, encoding: 'utf8', env: { ...process.env, NG_CLI_ANALYTICS: 'false' } });
  if (run.status !== 0) throw new Error(`ng build demo failed:\n${run.stdout}\n${run.stderr}`);
}

/** Serves a built application's folder on loopback (index.html for unknown paths, as a
 * single-page app); default: the dashboard built here. */
export async function serveDemo(root = ROOT) {
  root = resolve(root);
  if (!existsSync(resolve(root, 'index.html'))) throw new Error(`${root}/index.html is missing: build the application first (npm run build:demo)`);
  const server = createServer((req, res) => {
    let file = resolve(root, decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1)) || 'index.html');
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = resolve(root, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) };
}

/** Opens the dashboard and waits until it has picked its backend (the status line says which). */
export async function openDashboard(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => !/starting/.test(document.querySelector('[data-testid=backend]')?.textContent ?? 'starting'), null, { timeout: 60000 });
}

export function launchChromium() {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
}
