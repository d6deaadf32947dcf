// `npm run bench:browser`: the benchmark in headless Chromium (Debian's, driven by
// playwright-core; no browser download): the library's benchmark() (reduceX against a plain
// tfjs accumulator and a plain JS loop, alternating, on webgl, webgpu, wasm and cpu as the
// browser offers them) and the live-preview workload (benchmarkPreview). Prints a table and,
// with --md FILE, appends it there.
// Files dropped on a page: the sets of `npm run bench:job` (written here if missing, by its
// write_set.py), served to the page, which averages them as Files (see page.ts).
//   node bench/browser.mjs [--frames 20] [--side 1024] [--rounds 3] [--backends webgl,webgpu,wasm,cpu]
//                          [--preview-frames 200] [--preview-side 1024]
//                          [--file-formats npy,tiff,tiff-lzw,png] [--file-frames 20] [--file-side 2048] [--md FILE]
import { createServer } from 'node:http';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from '../scripts/chromium.mjs';
import { numpyPython } from '../scripts/numpy-python.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(root, '.tmp/bench-browser');
mkdirSync(out, { recursive: true });
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i].replace(/^--/, '');
  args[key] = process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[++i] : '';
}

await build({ entryPoints: [resolve(root, 'bench/browser/page.ts')], bundle: true, format: 'esm', target: 'es2022', outfile: resolve(out, 'page.js'), logLevel: 'warning' });
writeFileSync(resolve(out, 'index.html'), '<!doctype html><meta charset="utf-8"><title>npstreams-rx benchmark</title><script type="module" src="page.js"></script>');

const wasmDir = resolve(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
// the dropped files: a set of bench:job's
const fileFormats = (args['file-formats'] ?? 'npy,tiff,tiff-lzw,png').split(',').filter(Boolean);
const fileSet = resolve(root, `.tmp/job/set-${args['file-side'] ?? 2048}x${args['file-frames'] ?? 20}`);
const missingSets = fileFormats.filter((f) => !existsSync(resolve(fileSet, `${f}-mean.npy`)));
if (missingSets.length) {
  const python = numpyPython(['tifffile', 'PIL']);
  if (!python) throw new Error('the dropped-files rows need a Python with NumPy, tifffile and Pillow (Debian: python3-numpy python3-tifffile python3-pil)');
  execFileSync(python, [resolve(root, 'bench/job/write_set.py'), fileSet, String(args['file-frames'] ?? 20), String(args['file-side'] ?? 2048), missingSets.join(',')], { stdio: 'inherit' });
}
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const listing = /^\/files\/([a-z-]+)\/index\.json$/.exec(path);
  if (listing) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(readdirSync(resolve(fileSet, listing[1])).sort()));
  const file = path.startsWith('/wasm/') ? resolve(wasmDir, path.slice(6)) : path.startsWith('/files/') ? resolve(fileSet, path.slice(7)) : resolve(out, path.slice(1) || 'index.html');
  if (!existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const port = server.address().port;

const executablePath = chromiumPath();
const browser = await chromium.launch({
  executablePath,
  args: CHROMIUM_FLAGS,
});
const page = await browser.newPage();
const query = new URLSearchParams({
  frames: args.frames ?? '20',
  side: args.side ?? '1024',
  rounds: args.rounds ?? '3',
  backends: args.backends ?? 'webgl,webgpu,wasm,cpu',
  previewFrames: args['preview-frames'] ?? '200',
  previewSide: args['preview-side'] ?? '1024',
  fileFormats: fileFormats.join(','),
});
await page.goto(`http://127.0.0.1:${port}/index.html?${query}`);
let printed = 0;
let result;
for (;;) {
  await new Promise((r) => setTimeout(r, 1000));
  const state = await page.evaluate(() => ({ log: window.__log ?? [], bench: window.__bench }));
  state.log.slice(printed).forEach((l) => console.log(l));
  printed = state.log.length;
  if (state.bench) {
    result = state.bench;
    break;
  }
}
const renderer = await page.evaluate(() => {
  const gl = document.createElement('canvas').getContext('webgl2');
  const info = gl?.getExtension('WEBGL_debug_renderer_info');
  return gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'none';
});
await browser.close();
server.close();
if (result.error) {
  console.error(result.error);
  process.exit(1);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const { params, rows, preview, files, available, userAgent } = result;
const lines = [
  `Headless ${userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'} (WebGL renderer: ${renderer}); ${params.frames} frames of ${params.side}x${params.side}, medians of ${params.rounds} rounds.`,
  ...available.filter((a) => a.error).map((a) => `${a.backend} not measured: ${a.error}`),
  '',
  '| backend | stat | library ms/frame | plain tfjs ms/frame | plain JS loop ms/frame | library / tfjs | library / JS |',
  '|---|---|---|---|---|---|---|',
];
for (const backend of [...new Set(rows.map((r) => r.backend))]) {
  for (const stat of [...new Set(rows.map((r) => r.stat))]) {
    const get = (c) => rows.find((r) => r.backend === backend && r.stat === stat && r.contender === c);
    const [l, t, j] = [get('library'), get('tfjs'), get('js')];
    lines.push(`| ${backend} | ${stat} | ${l.msPerFrame.toFixed(2)} | ${t.msPerFrame.toFixed(2)} | ${j.msPerFrame.toFixed(2)} | ${(l.msPerFrame / t.msPerFrame).toFixed(2)} | ${l.vsJs.toFixed(2)} |`);
  }
}
lines.push(
  '',
  `Live preview (${params.previewFrames} frames of ${params.previewSide}x${params.previewSide}, scanMean + sampleTime(100) read back):`,
  '',
  '| backend | frames/s reduced | previews/s |',
  '|---|---|---|',
);
for (const backend of [...new Set(preview.map((p) => p.backend))]) {
  const runs = preview.filter((p) => p.backend === backend);
  lines.push(`| ${backend} | ${median(runs.map((r) => r.framesPerSecond)).toFixed(1)} | ${median(runs.map((r) => r.previewsPerSecond)).toFixed(1)} |`);
}
if (files?.length) {
  lines.push(
    '',
    `Files dropped on a page (${fileFormats.join(', ')}: ${files[0].frames} frames each, as Files in memory), load + reduceMean on wasm, medians:`,
    '',
    "| format | frames/s, the library's decoders | frames/s, the decoders before (fast-png, utif2) | speed-up |",
    '|---|---|---|---|',
  );
  for (const format of [...new Set(files.map((f) => f.format))]) {
    const fps = (d) => median(files.filter((f) => f.format === format && f.decoders === d).map((f) => f.framesPerSecond));
    const [now, before] = [fps('library'), fps('before')];
    lines.push(`| ${format} | ${now.toFixed(1)} | ${before ? before.toFixed(1) : '- (a view then as now)'} | ${before ? (now / before).toFixed(2) : '-'} |`);
  }
}
const table = lines.join('\n');
console.log(`\n${table}`);
writeFileSync(resolve(root, '.tmp/bench-browser/results.json'), JSON.stringify(result, null, 1));
if (args.md) {
  const file = resolve(root, args.md);
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const heading = `## ${new Date().toISOString().slice(0, 10)}: browser (\`node bench/browser.mjs ${process.argv.slice(2).join(' ')}\`)`;
  writeFileSync(file, `${previous.trimEnd()}\n\n${heading}\n\n${table}\n`);
  console.log(`appended to ${args.md}`);
}
