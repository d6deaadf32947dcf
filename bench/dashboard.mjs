// `npm run bench:dashboard`: the dashboard's own rates in headless Chromium (Debian's, through
// playwright-core), on the built app (`ng build demo` first; `--no-build` to skip). For each case
// (backend, frame size, rate asked for) it starts the synthetic detector on a fresh page, lets it
// run `--warmup` s, then watches `--seconds` s and prints, side by side:
// - frames asked of the detector and frames reduced per second (the status line's counts over the
//   wall clock), and their ratio: 1.00 means every frame the detector was asked for was reduced
//   (mean and SEM), none dropped, none left behind (the timer's period is whole milliseconds, so
//   30/s asks for 30.3 a second);
// - frames queued (asked for, not yet reduced) at the end and at most: a reduction that falls
//   behind shows here as a growing queue;
// - the dashboard's own figures: reduction frames/s (frameStats) and preview fps (min and mean
//   of its 2 readings a second; a preview is drawn per new running value, at most 25 a second,
//   so it cannot pass the frame rate), and tensors alive at the start and the end of the window;
// - the page's frame rate (animation frames run per second): how smooth the page stays.
// Options: --cases backend:size:rate,... (default: the detector's sizes at the rates issue 18
// targets, on wasm and on webgl, which is SwiftShader, a CPU, without a GPU; then 512 at 30/s),
// e.g. --cases wasm:512:30,wasm:1024:10, --seconds 15, --warmup 3,
// --threads worker,main (default both): the dashboard as built now with its reductions and
// drawing in a worker (its default where the browser has OffscreenCanvas) and on the page's
// thread (?thread=main, as a browser without), each case on both, alternating;
// --before REV: the dashboard as it was at git revision REV too (built in a worktree under
// .tmp/), each case run on every build, alternating, in the same browser, side by side.
// Writes .tmp/bench-dashboard.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { cpus } from 'node:os';
import { buildDemo, launchChromium, openDashboard, serveDemo } from '../scripts/demo-page.mjs';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const cases = (args.cases ?? 'wasm:2048:10,wasm:1024:30,webgl:2048:10,webgl:1024:30,wasm:512:30').split(',').map((c) => {
  const [backend, size, rate] = c.split(':');
  return { backend, size: Number(size), rate: Number(rate) };
});
const seconds = Number(args.seconds ?? 15);
const warmup = Number(args.warmup ?? 3);

if (args['no-build'] !== 'true') {
  console.log('building the dashboard (ng build demo)...');
  buildDemo();
}
const server = await serveDemo();
const threads = (args.threads ?? 'worker,main').split(',');
const builds = threads.map((thread) => ({ label: thread === 'main' ? 'now/page' : 'now', server, query: thread === 'main' ? '?thread=main' : '' }));
if (args.before) {
  // the dashboard at that revision, built in a worktree of its own (node_modules shared)
  const rev = spawnSync('git', ['rev-parse', '--short', args.before], { encoding: 'utf8' }).stdout.trim();
  if (!rev) throw new Error(`--before ${args.before}: no such git revision`);
  const dir = resolve(`.tmp/dashboard-${rev}`);
  if (!existsSync(dir)) {
    const add = spawnSync('git', ['worktree', 'add', '--detach', dir, rev], { encoding: 'utf8' });
    if (add.status !== 0) throw new Error(`git worktree add failed: ${add.stderr}`);
    symlinkSync(resolve('node_modules'), `${dir}/node_modules`);
  }
  if (!existsSync(`${dir}/dist/demo/browser/index.html`)) {
    console.log(`building the dashboard as of ${rev}...`);
    buildDemo({ cwd: dir });
  }
  builds.push({ label: rev, server: await serveDemo(`${dir}/dist/demo/browser`), query: '' });
}
const browser = await launchChromium();
console.log(`${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Chromium ${browser.version()} headless; ${seconds} s per case after ${warmup} s warm-up\n`);
const rows = [];
try {
  for (const c of cases)
    for (const build of builds) {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await openDashboard(page, `${build.server.url}${build.query}`);
      const combo = (name) => page.getByRole('combobox', { name });
      if ((await page.textContent('[data-testid=backend]')) !== c.backend) {
        await combo('Backend').selectOption(c.backend);
        await page.waitForFunction((b) => document.querySelector('[data-testid=backend]')?.textContent === b, c.backend, { timeout: 60000 });
      }
      await combo('Frame size').selectOption(String(c.size));
      await page.getByRole('spinbutton', { name: 'Rate (frames/s)' }).fill(String(c.rate));
      await page.getByRole('spinbutton', { name: 'Rate (frames/s)' }).dispatchEvent('change');
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await page.waitForTimeout(warmup * 1000);
      // the page's own frame rate: animation frames run (a busy main thread shows as fewer)
      await page.evaluate(() => {
        window.__raf = 0;
        const tick = () => (window.__raf++, requestAnimationFrame(tick));
        requestAnimationFrame(tick);
      });
      const read = () =>
        page.evaluate(() => {
          const n = (id) => Number(document.querySelector(`[data-testid=${id}]`)?.textContent);
          return { t: performance.now(), raf: window.__raf, frames: n('frames'), queued: n('queued'), reduction: n('reduction-fps'), preview: n('preview-fps'), tensors: n('tensors') };
        });
      const samples = [await read()];
      for (let s = 0; s < 2 * seconds; s++) {
        await page.waitForTimeout(500);
        samples.push(await read());
      }
      await page.getByRole('button', { name: 'Pause', exact: true }).click();
      await page.close();
      const [a, b] = [samples[0], samples[samples.length - 1]];
      const reduced = ((b.frames - a.frames) * 1000) / (b.t - a.t);
      // frames the detector was asked for: reduced plus queued (the timer's period is whole ms, so
      // 30/s asks for 30.3 and 60/s for 62.5)
      const asked = ((b.frames + b.queued - a.frames - a.queued) * 1000) / (b.t - a.t);
      const previews = samples.slice(1).map((s) => s.preview);
      const row = {
        case: `${c.backend} ${c.size}x${c.size} @ ${c.rate}/s`,
        build: build.label,
        reducedPerSecond: +reduced.toFixed(2),
        askedPerSecond: +asked.toFixed(2),
        reducedOfAsked: +(reduced / asked).toFixed(3),
        queuedEnd: b.queued,
        queuedMax: Math.max(...samples.map((s) => s.queued)),
        dashboardReductionFps: b.reduction,
        previewFpsMin: Math.min(...previews),
        previewFpsMean: +(previews.reduce((x, y) => x + y, 0) / previews.length).toFixed(1),
        pageFps: +(((b.raf - a.raf) * 1000) / (b.t - a.t)).toFixed(1),
        tensors: `${a.tensors} -> ${b.tensors}`,
        errors: errors.length,
      };
      rows.push(row);
      console.log(
        `${row.case.padEnd(22)} ${row.build.padEnd(9)} asked ${row.askedPerSecond.toFixed(2).padStart(6)}/s, reduced ${row.reducedPerSecond.toFixed(2).padStart(6)}/s (x${row.reducedOfAsked.toFixed(3)})  queued ${row.queuedEnd} (max ${row.queuedMax})  ` +
          `dashboard: ${row.dashboardReductionFps.toFixed(1)} frames/s, preview ${row.previewFpsMean} fps (min ${row.previewFpsMin}), page ${row.pageFps} fps  tensors ${row.tensors}${errors.length ? `  ERRORS: ${errors[0]}` : ''}`,
      );
    }
} finally {
  await browser.close();
  for (const b of new Set(builds.map((b) => b.server))) await b.close();
}
mkdirSync('.tmp', { recursive: true });
writeFileSync('.tmp/bench-dashboard.json', JSON.stringify({ date: new Date().toISOString(), cpus: cpus().length, seconds, rows }, null, 2));
