// An Angular application as a new user makes one (examples/angular-app: Angular 21, zoneless,
// strict, `ng new`'s default budgets), with the packed tarball installed: built with `ng build`,
// served on loopback and opened in headless Chromium. Used by scripts/test-dist.mjs; run alone:
// `node scripts/angular-consumer.mjs [tarball]` (default: packs one first). Checks:
//  - the build passes the default budgets with no warning: initial bundle <= 500 kB raw;
//  - every tfjs backend is a lazy chunk (none in the initial files);
//  - no CommonJS warning but tfjs-core's own (long, seedrandom, node-fetch, allowed in angular.json);
//  - in Chromium: the app picks wasm (its binaries served from the assets entry), draws a
//    non-uniform image and the convergence chart (npstreams-rx/angular's components), reduces
//    every frame, and logs no error.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchChromium, serveDemo } from './demo-page.mjs';

/** The initial files of a built application: the scripts and module preloads index.html names. */
function initialFiles(root) {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  return [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]);
}

/** Strings only each tfjs backend's code holds (its registration and its binaries' names). */
const BACKEND_MARKS = { webgl: 'WEBGL_DELETE_TEXTURE_THRESHOLD', wasm: 'The WASM backend was already initialized', cpu: 'the true allocated memory may be less' };

export async function checkAngularConsumer(tarball, check) {
  const app = mkdtempSync(join(tmpdir(), 'npstreams-rx-angular-'));
  try {
    cpSync('examples/angular-app', app, { recursive: true });
    const workspace = JSON.parse(readFileSync('package.json', 'utf8'));
    const pin = (name) => `${name}@${workspace.dependencies[name] ?? workspace.devDependencies[name]}`;
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'angular-consumer', private: true, type: 'module' }));
    const install = spawnSync(
      'npm',
      [
        'install',
        tarball,
        ...['@angular/common', '@angular/compiler', '@angular/core', '@angular/platform-browser', 'rxjs', 'tslib', 'uplot'].map(pin),
        ...['@angular/build', '@angular/cli', '@angular/compiler-cli', 'typescript'].map(pin),
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: app, encoding: 'utf8' },
    );
    check('angular app: npm install of the tarball and Angular', install.status === 0, install.stderr);
    if (install.status !== 0) return;
    const server = ['bullmq', 'ioredis', 'commander', 'cli-progress'].filter((p) => existsSync(join(app, 'node_modules', p)));
    check('angular app: no server package installed (bullmq, ioredis, commander, cli-progress)', server.length === 0, server.join(', '));

    const build = spawnSync(process.execPath, ['node_modules/@angular/cli/bin/ng.js', 'build', '--progress=false'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1', FORCE_COLOR: '0' },
    });
    const output = `${build.stdout}\n${build.stderr}`;
    console.log(output.replace(/\n{2,}/g, '\n').trim());
    check('angular app: ng build succeeds', build.status === 0, output);
    if (build.status !== 0) return;
    const budget = output.match(/^.*budget.*$/gim) ?? [];
    check("angular app: within ng new's default budgets, no warning (initial <= 500 kB)", budget.length === 0, budget.join('\n'));
    const cjs = output.match(/^.*(?:is not ESM|CommonJS).*$/gim) ?? [];
    check("angular app: no CommonJS warning (tfjs-core's allowed as the README says)", cjs.length === 0, cjs.join('\n'));

    const root = join(app, 'dist/app/browser');
    const initial = initialFiles(root);
    const sizes = initial.map((f) => statSync(join(root, f)).size);
    const total = sizes.reduce((a, b) => a + b, 0);
    console.log(`angular app: initial files ${initial.map((f, i) => `${f} ${(sizes[i] / 1000).toFixed(1)} kB`).join(', ')}; total ${(total / 1000).toFixed(1)} kB`);
    check(`angular app: initial bundle ${(total / 1000).toFixed(1)} kB <= 500 kB raw`, total <= 500_000);
    const initialText = initial.map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
    const lazy = readdirSync(root)
      .filter((f) => f.endsWith('.js') && !initial.includes(f))
      .map((f) => ({ f, text: readFileSync(join(root, f), 'utf8') }));
    for (const [backend, mark] of Object.entries(BACKEND_MARKS)) {
      const chunk = lazy.find(({ text }) => text.includes(mark));
      const where = chunk ? ` (${chunk.f}, ${(chunk.text.length / 1000).toFixed(1)} kB)` : '';
      check(
        `angular app: the ${backend} backend is a lazy chunk${where}`,
        !initialText.includes(mark) && chunk !== undefined,
        initialText.includes(mark) ? 'found in the initial files' : 'not found in any chunk',
      );
    }

    const http = await serveDemo(root);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(http.url);
      const status = await page
        .waitForFunction(() => /^(done|failed)/.test(document.querySelector('[data-testid=status]')?.textContent ?? '') && document.querySelector('[data-testid=status]').textContent, null, {
          timeout: 60000,
        })
        .then((h) => h.jsonValue())
        .catch((err) => `no result: ${err.message}`);
      check('angular app in Chromium: 40 frames reduced on wasm', /^done: 40 frames on wasm/.test(status), status);
      // the canvas copied onto a 2D canvas (whatever context drew it): how many distinct colours
      const colours = await page.evaluate(() => {
        const source = document.querySelector('canvas');
        const copy = document.createElement('canvas');
        copy.width = source.width;
        copy.height = source.height;
        const ctx = copy.getContext('2d');
        ctx.drawImage(source, 0, 0);
        const px = ctx.getImageData(0, 0, copy.width, copy.height).data;
        const seen = new Set();
        for (let i = 0; i < px.length; i += 4) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
        return seen.size;
      });
      check(`angular app in Chromium: the mean drawn (${colours} colours; a ramp needs many)`, colours >= 32);
      const chart = await page.evaluate(() => document.querySelector('nps-convergence-chart [role=img]')?.getAttribute('aria-label') ?? '');
      check(`angular app in Chromium: the convergence chart's accessible name says 40 frames (${chart})`, / after 40 frames, on log axes/.test(chart));
      check('angular app in Chromium: no console error', errors.length === 0, errors.join('\n'));
    } finally {
      await browser.close();
      await http.close();
    }
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { pack } = await import('./pack.mjs');
  const tarball = process.argv[2] ? resolve(process.argv[2]) : pack();
  const counts = { passed: 0, failed: 0 };
  await checkAngularConsumer(tarball, (name, ok, detail = '') => {
    counts[ok ? 'passed' : 'failed']++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `\n${detail}`}`);
  });
  console.log(`angular app: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed ? 1 : 0);
}
