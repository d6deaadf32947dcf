// The dashboard end to end: builds it (`ng build demo`), serves it on loopback and drives it in
// headless Chromium (Debian's, through playwright-core). Each check below is one test; they share
// one page, in order. Screenshots go to .tmp/e2e/. Prints `e2e: N passed, N failed` and writes
// .tmp/results/e2e.json. `--no-build` serves the dist/demo/browser already there.
//
// What it asserts, against values computed here (closed forms, float64):
// - the synthetic stream's mean standard error at F2 >= 4 F1 frames is below that at F1 by
//   sqrt(F2/F1) (a factor near 2), within 5% after the small-sample bias of the sample standard
//   deviation (c4(n), a closed form) is taken out;
// - tf.memory()'s tensor count is the same at F1 and F2 (paused, quiescent): nothing leaks;
// - .npy files dropped on the page are averaged: the downloaded mean.npy, read by this script's
//   own .npy parser, equals the float64 mean of the files (rel 1e-6, float32 storage);
// - a corrupt file among picked files is skipped and named, the good one averaged;
// - a picked HDF5 file (Eiger-like, bitshuffle-LZ4, masked gaps) is read in the worker, its mean
//   NaN where masked and the counts' mean elsewhere;
// - the controls work from the keyboard, every backend draws non-blank images and reports its
//   renderer, the layout fits a laptop screen, and no console errors or page errors occur;
// - the reductions and their drawing run in a worker (the panels' canvases transferred), and
//   with ?thread=main on the page's thread, drawing the same panels.
// Pixels are read from screenshots of the canvases (a transferred canvas cannot be read).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { buildDemo, launchChromium, openDashboard, serveDemo } from './demo-page.mjs';

const OUT = '.tmp/e2e';
const build = !process.argv.includes('--no-build');
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
mkdirSync('.tmp/results', { recursive: true });

const counts = { passed: 0, failed: 0 };
const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const expect = (ok, what) => {
  if (!ok) throw new Error(what);
};

// ---- .npy in and out, written and read here (independent of the library) ----
function npy(data, shape) {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + dict.length + 1) % 64);
  const header = Buffer.from(dict + ' '.repeat(pad % 64) + '\n', 'latin1');
  const pre = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 255, header.length >> 8]);
  return Buffer.concat([pre, header, Buffer.from(new Float32Array(data).buffer)]);
}
function parseNpy(buf) {
  expect(buf.subarray(1, 6).toString('latin1') === 'NUMPY', 'not a .npy file');
  const len = buf.readUInt16LE(8);
  const header = buf.subarray(10, 10 + len).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)[1]
    .split(',')
    .filter((s) => s.trim())
    .map(Number);
  expect(descr === '<f4', `descr ${descr}, expected <f4`);
  const body = buf.subarray(10 + len);
  return { shape, data: new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.length)) };
}

/** c4(n): E[s] / sigma for the sample standard deviation of n normal values (closed form). */
function c4(n) {
  const lnGamma = (z) => {
    // Lanczos (g = 7), ample for the ratio here
    const g = [
      0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
    z -= 1;
    let x = g[0];
    for (let i = 1; i < 9; i++) x += g[i] / (z + i);
    const t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(x);
  };
  return Math.sqrt(2 / (n - 1)) * Math.exp(lnGamma(n / 2) - lnGamma((n - 1) / 2));
}

if (build) {
  console.log('building the dashboard (ng build demo)...');
  buildDemo();
}
const server = await serveDemo();
const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
const page = await context.newPage();
const problems = [];
page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

const text = (id) => page.textContent(`[data-testid=${id}]`);
const frames = async () => Number(await text('frames'));
const tensors = async () => Number(await text('tensors'));
/** The chart's accessible label: "Mean standard error S after F frames, ...". */
const semPoint = async () => {
  const label = await page.getAttribute('app-sem-chart [role=img]', 'aria-label');
  const m = /Mean standard error (\S+) after (\d+) frames/.exec(label ?? '');
  return m ? { sem: Number(m[1]), frames: Number(m[2]) } : null;
};
const waitFrames = (n, timeout = 60000) => page.waitForFunction((k) => Number(document.querySelector('[data-testid=frames]')?.textContent) >= k, n, { timeout, polling: 50 });
const button = (name) => page.getByRole('button', { name, exact: true });
/** Pauses and waits until the status line, the chart and the tensors have settled. */
const pauseAndSettle = async () => {
  await button('Pause').click();
  await page.waitForTimeout(1200); // two status refreshes (every 500 ms) after the last preview
};
/** A panel's pixels as shown (a screenshot of its canvas: the page cannot read a canvas whose
 * control went to the dashboard's worker), as RGBA bytes, decoded in the page. */
const shown = async (title) => {
  const png = await page.locator(`canvas[aria-label^="${title},"]`).screenshot();
  return page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
    const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    return Array.from(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data);
  }, png.toString('base64'));
};
/** How many distinct colours a panel shows (a blank or uniform image: the background and the
 * border, two). */
const colours = async (title) => {
  const data = await shown(title);
  const seen = new Set();
  for (let i = 0; i < data.length && seen.size < 50; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
  return seen.size;
};

test('the page loads and picks a backend (wasm in headless Chromium without a GPU)', async () => {
  await openDashboard(page, server.url);
  expect((await text('backend')) === 'wasm', `backend ${await text('backend')}`);
  expect((await frames()) === 0, 'frames before start');
});

test('the layout fits a laptop screen (1366x768): no scrolling needed, the three images and the chart in one row', async () => {
  const layout = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tiles: Array.from(document.querySelectorAll('app-image-panel, app-sem-chart')).map((p) => p.getBoundingClientRect()),
  }));
  const tops = layout.tiles.map((r) => Math.round(r.top));
  expect(layout.overflow <= 0, `horizontal overflow ${layout.overflow}px`);
  expect(tops.length === 4 && new Set(tops).size === 1, `tile tops ${tops}`);
  expect(Math.max(...layout.tiles.map((r) => r.bottom)) <= 768, `tiles end at ${Math.max(...layout.tiles.map((r) => r.bottom))}px`);
});

let first;
test('Start from the keyboard (Tab to the button, Enter): frames arrive and all three images are drawn', async () => {
  await page.locator('body').focus();
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'Start'; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => (document.activeElement?.tagName === 'BUTTON' ? document.activeElement.textContent.trim() : ''));
  }
  expect(focused === 'Start', 'Tab never reached the Start button');
  await page.keyboard.press('Enter');
  await waitFrames(30);
  await pauseAndSettle();
  first = { ...(await semPoint()), tensors: await tensors() };
  expect(first.frames >= 30 && first.sem > 0, `chart label after 30 frames: ${JSON.stringify(first)}`);
  for (const panel of ['Latest frame', 'Running mean', 'Running standard error']) expect((await colours(panel)) > 5, `${panel}: a uniform image`);
  await page.screenshot({ path: `${OUT}/01-detector-${first.frames}-frames.png` });
});

test('the mean SEM falls as 1/sqrt(n): at F2 >= 4 F1 frames it is lower by sqrt(F2/F1) (a factor near 2) within 5%; tensors stay flat', async () => {
  expect(first, 'no first point');
  await button('Start').click();
  await waitFrames(4 * first.frames);
  await pauseAndSettle();
  const second = { ...(await semPoint()), tensors: await tensors() };
  const ratio = first.sem / second.sem;
  // E[s_n] = c4(n) sigma, so E[SEM_n] = c4(n) sigma / sqrt(n)
  const expected = Math.sqrt(second.frames / first.frames) * (c4(first.frames) / c4(second.frames));
  console.log(
    `  SEM ${first.sem} at ${first.frames} frames, ${second.sem} at ${second.frames}: ratio ${ratio.toFixed(3)}, expected ${expected.toFixed(3)}; tensors ${first.tensors} -> ${second.tensors}`,
  );
  expect(second.frames >= 4 * first.frames, `second point at ${second.frames} frames`);
  expect(Math.abs(ratio / expected - 1) < 0.05, `SEM ratio ${ratio}, expected ${expected}`);
  expect(second.tensors === first.tensors, `tensors ${first.tensors} at ${first.frames} frames, ${second.tensors} at ${second.frames}`);
  await page.screenshot({ path: `${OUT}/02-detector-${second.frames}-frames.png` });
});

test('Reset: frames back to 0, the chart empty, fewer tensors than while running', async () => {
  const before = await tensors();
  await button('Reset').click();
  await page.waitForTimeout(1200);
  expect((await frames()) === 0, 'frames after reset');
  expect((await semPoint()) === null, 'chart after reset');
  expect((await tensors()) < before, `tensors ${before} -> ${await tensors()}`);
});

// three 16x20 float32 frames with distinct values, and their float64 mean
const SHAPE = [16, 20];
const files = [0, 1, 2].map((k) => Array.from({ length: 320 }, (_, i) => Math.fround(Math.sin(i * (k + 1)) * 100 + k * 7.25)));
const expectedMean = files[0].map((_, i) => (files[0][i] + files[1][i] + files[2][i]) / 3);

test('dropped .npy files are averaged: the downloaded mean.npy is their mean (rel 1e-6)', async () => {
  const payload = files.map((data, k) => ({ name: `frame-${k}.npy`, bytes: Array.from(npy(data, SHAPE)) }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    return dt;
  }, payload);
  await page.dispatchEvent('main', 'drop', { dataTransfer });
  await page.waitForFunction(() => /3 files \(done\)/.test(document.querySelector('.status')?.textContent ?? ''), null, { timeout: 30000 });
  expect((await frames()) === 3, `frames ${await frames()}`);
  const [download] = await Promise.all([page.waitForEvent('download'), button('Download mean (.npy)').click()]);
  expect(download.suggestedFilename() === 'mean.npy', `file name ${download.suggestedFilename()}`);
  const path = `${OUT}/mean.npy`;
  await download.saveAs(path);
  const mean = parseNpy(readFileSync(path));
  expect(mean.shape.join('x') === SHAPE.join('x'), `shape ${mean.shape}`);
  let worst = 0;
  mean.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expectedMean[i]) / Math.max(1, Math.abs(expectedMean[i])))));
  expect(worst < 1e-6, `mean off by ${worst} (relative)`);
  await page.screenshot({ path: `${OUT}/03-dropped-files.png` });
});

test('picked files with a corrupt one: it is skipped and named, the good one averaged', async () => {
  await page.setInputFiles('input[type=file]', [
    { name: 'good.npy', mimeType: 'application/octet-stream', buffer: npy(files[1], SHAPE) },
    { name: 'broken.npy', mimeType: 'application/octet-stream', buffer: Buffer.from('\x93NUMPY garbage') },
  ]);
  await page.waitForFunction(() => /2 files \(done\)/.test(document.querySelector('.status')?.textContent ?? ''), null, { timeout: 30000 });
  expect((await frames()) === 1, `frames ${await frames()}`);
  const skipped = await page.textContent('main .error');
  expect(/broken\.npy/.test(skipped ?? ''), `skipped: ${skipped}`);
  await button('Back to the detector').click();
});

test("a picked HDF5 file (Eiger: uint32, bitshuffle-LZ4, masked gaps): read in the worker; the mean NaN where masked, else the counts' mean", async () => {
  // spec/fixtures/masked: 5 frames of 6x8 written by h5py; expected.json holds them with the mask as null
  const { frames: eiger } = JSON.parse(readFileSync('spec/fixtures/masked/expected.json', 'utf8')).sources['eiger.h5'];
  const want = eiger[0].map((_, i) => (eiger.some((f) => f[i] === null) ? NaN : eiger.reduce((t, f) => t + f[i], 0) / eiger.length));
  await page.setInputFiles('input[type=file]', [{ name: 'eiger.h5', mimeType: 'application/x-hdf5', buffer: readFileSync('spec/fixtures/masked/eiger.h5') }]);
  await page.waitForFunction(() => /1 files \(done\)/.test(document.querySelector('.status')?.textContent ?? ''), null, { timeout: 30000 });
  expect((await frames()) === 5, `frames ${await frames()}`);
  const [download] = await Promise.all([page.waitForEvent('download'), button('Download mean (.npy)').click()]);
  const path = `${OUT}/eiger-mean.npy`;
  await download.saveAs(path);
  const mean = parseNpy(readFileSync(path));
  expect(mean.shape.join('x') === '6x8', `shape ${mean.shape}`);
  mean.data.forEach((v, i) => expect(Number.isNaN(want[i]) ? Number.isNaN(v) : Math.abs(v - want[i]) <= 1e-6 * Math.max(1, want[i]), `[${i}] ${v} vs ${want[i]}`));
  await button('Back to the detector').click();
});

for (const backend of ['webgl', 'webgpu', 'cpu', 'wasm']) {
  test(`backend ${backend}: selected and shown with its renderer; frames reduced and drawn`, async () => {
    await page.getByRole('combobox', { name: 'Backend' }).selectOption(backend);
    await page.waitForFunction((b) => document.querySelector('[data-testid=backend]')?.textContent === b, backend, { timeout: 30000 });
    const renderer = await page.textContent('[data-testid=backend] + small');
    expect(renderer && renderer.length > 2, `renderer "${renderer}"`);
    if (backend.startsWith('web')) expect(/swiftshader/i.test(renderer), `renderer "${renderer}" (SwiftShader here)`);
    await page.getByRole('combobox', { name: 'Frame size' }).selectOption('256');
    await button('Start').click();
    await waitFrames(8);
    // a backend's first frames compile its programs (WGSL on SwiftShader: seconds on a busy
    // machine): wait while it runs until every panel is drawn (the standard error needs two
    // frames reduced), a minute at most, then pause and look
    const panels = ['Latest frame', 'Running mean', 'Running standard error'];
    const started = Date.now();
    let seen = [];
    for (const deadline = started + 60000; Date.now() < deadline; await page.waitForTimeout(250)) {
      seen = await Promise.all(panels.map(colours));
      if (seen.every((n) => n > 5)) break;
    }
    const waited = `colours ${seen} after ${((Date.now() - started) / 1000).toFixed(1)} s, ${await frames()} frames`;
    await pauseAndSettle();
    const after = await Promise.all(panels.map(colours));
    const paused = `paused: colours ${after}, ${await frames()} frames`;
    panels.forEach((panel, i) => expect(after[i] > 5, `${panel}: a uniform image on ${backend} (${waited}; ${paused})`));
    await page.screenshot({ path: `${OUT}/04-${backend}.png` });
    console.log(`  ${backend}: ${renderer}`);
  });
}

test('the colormap applies: gray draws the running mean in grey levels only', async () => {
  await page.getByRole('combobox', { name: 'Colormap' }).selectOption('gray');
  await button('Start').click();
  await waitFrames((await frames()) + 4);
  await pauseAndSettle();
  const data = await shown('Running mean');
  let grey = true;
  for (let i = 0; i < data.length; i += 4) if (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2]) grey = false;
  expect(grey, 'the gray colormap drew coloured pixels');
  expect((await colours('Running mean')) > 5, 'a uniform image in gray');
  await page.screenshot({ path: `${OUT}/05-gray.png` });
});

test("the reductions run in a worker (OffscreenCanvas here); with ?thread=main on the page's thread, drawing all three images", async () => {
  // a canvas whose control went to a worker has no context of its own on the page
  const transferred = await page.evaluate(() => {
    try {
      return document.querySelector('canvas[aria-label^="Running mean,"]').getContext('2d') === null;
    } catch (err) {
      return err.name === 'InvalidStateError';
    }
  });
  expect(transferred, "the running mean's canvas still draws on the page: not in the worker");
  await openDashboard(page, `${server.url}?thread=main`);
  await page.getByRole('combobox', { name: 'Frame size' }).selectOption('256');
  await button('Start').click();
  await waitFrames(10);
  await pauseAndSettle();
  const onPage = await page.evaluate(() => document.querySelector('canvas[aria-label^="Running mean,"]').getContext('2d') !== null);
  expect(onPage, "with ?thread=main the canvas is not the page's");
  for (const panel of ['Latest frame', 'Running mean', 'Running standard error']) expect((await colours(panel)) > 5, `${panel}: a uniform image on the page's thread`);
  const point = await semPoint();
  expect(point && point.frames >= 10 && point.sem > 0, `chart label ${JSON.stringify(point)}`);
  await page.screenshot({ path: `${OUT}/06-page-thread.png` });
});

test('no console errors and no page errors', async () => {
  expect(problems.length === 0, problems.slice(0, 5).join('\n'));
});

try {
  for (const { name, fn } of tests) {
    try {
      await fn();
      counts.passed++;
      console.log(`ok   ${name}`);
    } catch (err) {
      counts.failed++;
      console.log(
        `FAIL ${name}\n     ${String(err?.message ?? err)
          .split('\n')
          .join('\n     ')}`,
      );
      await page.screenshot({ path: `${OUT}/failed-${counts.failed}.png` }).catch(() => {});
    }
  }
} finally {
  await browser.close();
  await server.close();
}
writeFileSync('.tmp/results/e2e.json', JSON.stringify(counts));
console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed (screenshots in ${OUT}/)`);
process.exit(counts.failed || !counts.passed ? 1 : 0);
