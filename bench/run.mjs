// `npm run bench`: workload W of issue 6 (npstreams' own benchmark: a stream of 50 frames of
// 2048x2048 float32, reduced by sum, mean, max and var), side by side in one run, alternating
// contenders round after round, each contender a fresh process:
//   c               a C in-place loop compiled here (gcc -O3 -march=native): the memory limit
//   js-naive        a plain JS in-place float32 loop
//   js-compensated  a plain JS in-place loop of the library's compensated algorithms
//   tfjs:B          a plain tfjs accumulator (tf.add, tf.maximum, Welford in tf ops) on backend B
//   lib:B           this library (reduceSum, reduceMean, reduceMax, reduceVar) on backend B
//   lib-before:B    the library as of an earlier commit (--before REF), for "today vs now"
//   numpy           NumPy float64 frames, stacked, then reduced (npstreams' comparison)
//   npstreams       npstreams' isum/imean/imax/ivar, where `import npstreams` works
// Frames are generated identically in every contender (bench/contenders/frames.h); "net" is
// the in-process time minus that generation. Per contender: net ms/frame (median over rounds),
// GB/s of frame data, ratio to the C loop of the same statistic, whole-process seconds, peak
// RSS at FRAMES and (with --rss200) at 200 frames, and the max relative error against float64.
// Results: .tmp/bench/results.json, and a markdown table (--md FILE, e.g. bench/RESULTS.md).
//
//   node bench/run.mjs [--frames 50] [--side 2048] [--rounds 3] [--stats sum,mean,max,var]
//                      [--contenders c,js-naive,...] [--backends wasm,cpu] [--before REF]
//                      [--npstreams PATH] [--rss200 [names]] [--preview none] [--md FILE] [--quick]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = resolve(root, '.tmp/bench');
mkdirSync(work, { recursive: true });

const args = parseArgs(process.argv.slice(2));
const quick = 'quick' in args;
const FRAMES = Number(args.frames ?? (quick ? 10 : 50));
const SIDE = Number(args.side ?? (quick ? 1024 : 2048));
const ROUNDS = Number(args.rounds ?? (quick ? 1 : 3));
const STATS = (args.stats ?? 'sum,mean,max,var').split(',');
const BACKENDS = (args.backends ?? 'wasm,cpu').split(',');
const BEFORE = args.before ?? 'c3c71b6';
const MB = (SIDE * SIDE * 4) / 2 ** 20;

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    out[key] = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : '';
  }
  return out;
}

// ---- build what the contenders run ----
const cBin = resolve(work, 'c-loop');
execFileSync('gcc', ['-O3', '-march=native', '-o', cBin, resolve(root, 'bench/contenders/c-loop.c'), '-lm']);

async function bundleNode(libEntry, outfile) {
  await build({
    entryPoints: [resolve(root, 'bench/contenders/node-contender.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    alias: { 'npstreams-rx-under-test': libEntry },
    outfile,
    logLevel: 'warning',
  });
}
const nodeNow = resolve(work, 'node-contender.mjs');
await bundleNode(resolve(root, 'projects/npstreams-rx/src/public-api.ts'), nodeNow);

let nodeBefore = null;
if (BEFORE !== 'none') {
  const dir = resolve(work, 'before');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    const tar = execFileSync('git', ['-C', root, 'archive', BEFORE, 'projects/npstreams-rx/src'], { maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    nodeBefore = resolve(work, 'node-contender-before.mjs');
    await bundleNode(resolve(dir, 'projects/npstreams-rx/src/public-api.ts'), nodeBefore);
  } catch (err) {
    console.log(`(no lib-before contender: git archive ${BEFORE} failed: ${String(err.message).split('\n')[0]})`);
  }
}

const pyEnv = { ...process.env, ...(args.npstreams ? { PYTHONPATH: [args.npstreams, process.env.PYTHONPATH].filter(Boolean).join(':') } : {}) };
const python = (code) => spawnSync('python3', ['-c', code], { env: pyEnv }).status === 0;
const hasNumpy = python('import numpy');
const hasNpstreams = hasNumpy && python('import npstreams');

// ---- the contenders ----
const py = resolve(root, 'bench/contenders/numpy_contender.py');
const node = (bundle, name, backend) => (stat, frames, out) => ['node', [bundle, name, stat, frames, SIDE, out, backend ?? '']];
const all = [
  { name: 'c', cmd: (stat, frames, out) => [cBin, [stat, frames, SIDE, out]] },
  { name: 'js-naive', cmd: node(nodeNow, 'js-naive') },
  { name: 'js-compensated', cmd: node(nodeNow, 'js-compensated') },
  ...BACKENDS.map((b) => ({ name: `tfjs:${b}`, cmd: node(nodeNow, 'tfjs', b) })),
  ...BACKENDS.map((b) => ({ name: `lib:${b}`, cmd: node(nodeNow, 'lib', b) })),
  ...(nodeBefore ? BACKENDS.map((b) => ({ name: `lib-before:${b}`, cmd: node(nodeBefore, 'lib', b) })) : []),
  ...(hasNumpy ? [{ name: 'numpy', cmd: (stat, frames, out) => ['python3', [py, 'numpy', stat, frames, SIDE, out], pyEnv], noRss200: true }] : []),
  ...(hasNpstreams ? [{ name: 'npstreams', cmd: (stat, frames, out) => ['python3', [py, 'npstreams', stat, frames, SIDE, out], pyEnv] }] : []),
];
const wanted = args.contenders ? new Set(args.contenders.split(',')) : null;
const contenders = all.filter((c) => !wanted || wanted.has(c.name) || wanted.has(c.name.split(':')[0]));
if (!hasNumpy) console.log('(no numpy contender: python3 cannot import numpy)');
if (!hasNpstreams) console.log('(no npstreams contender: python3 cannot import npstreams; pass --npstreams PATH to a checkout)');

// ---- float64 references, computed once by the C program ----
const reference = {};
for (const stat of STATS) {
  const file = resolve(work, `ref-${stat}-${FRAMES}-${SIDE}.f64`);
  if (!existsSync(file)) execFileSync(cBin, [stat, FRAMES, SIDE, file, 'reference']);
  reference[stat] = new Float64Array(readFileSync(file).buffer.slice(0));
}

function maxRelError(file, truth) {
  const b = readFileSync(file);
  const got = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  if (got.length !== truth.length) return NaN;
  let worst = 0;
  for (let i = 0; i < truth.length; i++) {
    const rel = Math.abs(got[i] - truth[i]) / Math.abs(truth[i]);
    if (!(rel <= worst)) worst = rel; // NaN wins
  }
  return worst;
}

function runOnce(c, stat, frames) {
  const out = resolve(work, `out-${c.name.replace(':', '-')}-${stat}.f32`);
  rmSync(out, { force: true });
  const [cmd, argv, env] = c.cmd(stat, frames, out);
  const t0 = performance.now();
  const run = spawnSync(cmd, argv.map(String), { env: env ?? process.env, encoding: 'utf8', maxBuffer: 1 << 24 });
  const wallMs = performance.now() - t0;
  const line = (run.stdout ?? '').trim().split('\n').pop();
  if (run.status !== 0 || !line?.startsWith('{')) {
    return { error: `exit ${run.status}: ${(run.stderr || run.stdout || '').trim().split('\n').slice(-3).join(' | ')}` };
  }
  const r = JSON.parse(line);
  return { ...r, wallMs, relErr: frames === FRAMES ? maxRelError(out, reference[stat]) : undefined };
}

// ---- the runs: rounds of every (statistic, contender), the order rotating each round ----
const samples = {};
console.log(`W: ${FRAMES} frames of ${SIDE}x${SIDE} float32 (${MB} MiB each); ${ROUNDS} rounds; contenders: ${contenders.map((c) => c.name).join(', ')}`);
for (let r = 0; r < ROUNDS; r++) {
  for (const stat of STATS) {
    const order = contenders.map((_, i) => contenders[(i + r) % contenders.length]);
    for (const c of order) {
      const res = runOnce(c, stat, FRAMES);
      (samples[`${stat}|${c.name}`] ??= []).push(res);
      const brief = res.error ? res.error : `${(res.netMs / FRAMES).toFixed(2)} ms/frame net, rss ${(res.rssKB / 1024).toFixed(0)} MB, err ${res.relErr?.toExponential(1)}`;
      console.log(`round ${r + 1} ${stat.padEnd(4)} ${c.name.padEnd(18)} ${brief}`);
    }
  }
}
// ---- the live-preview workload: frames arriving one per macrotask, scanMean over every one,
// sampleTime(100) previews reading the running mean back; frames/s the reduction keeps up with ----
const PREVIEW_FRAMES = Number(args['preview-frames'] ?? (quick ? 50 : 200));
const PREVIEW_SIDE = Number(args['preview-side'] ?? 1024);
const previewRuns = {};
if (args.preview !== 'none') {
  const libs = [...BACKENDS.map((b) => [`lib:${b}`, nodeNow, b]), ...(nodeBefore ? BACKENDS.map((b) => [`lib-before:${b}`, nodeBefore, b]) : [])];
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, bundle, b] of libs) {
      const run = spawnSync('node', [bundle, 'lib', 'preview', PREVIEW_FRAMES, PREVIEW_SIDE, '/dev/null', b].map(String), { encoding: 'utf8' });
      const line = (run.stdout ?? '').trim().split('\n').pop();
      const res = run.status === 0 && line?.startsWith('{') ? JSON.parse(line) : { error: (run.stderr || '').trim().split('\n').slice(-2).join(' | ') };
      (previewRuns[name] ??= []).push(res);
      console.log(`preview round ${r + 1} ${name.padEnd(18)} ${res.error ?? `${res.framesPerSecond.toFixed(1)} frames/s, ${res.previewsPerSecond.toFixed(1)} previews/s`}`);
    }
  }
}

const rss200 = {};
if ('rss200' in args) {
  // --rss200 [names]: peak RSS at 200 frames, for the named contenders (default: the streaming ones
  // that finish 200 frames in seconds)
  const names = new Set((args.rss200 || 'c,js-compensated,lib:wasm,lib:cpu,lib-before:wasm,npstreams').split(','));
  for (const stat of STATS.filter((s) => s === 'sum' || s === 'var')) {
    for (const c of contenders.filter((c) => !c.noRss200 && names.has(c.name))) {
      const res = runOnce(c, stat, 200);
      rss200[`${stat}|${c.name}`] = res.error ? null : res.rssKB;
      console.log(`rss200 ${stat} ${c.name}: ${res.error ?? `${(res.rssKB / 1024).toFixed(0)} MB`}`);
    }
  }
}

// ---- the table ----
const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1] : NaN;
};
const rows = [];
for (const stat of STATS) {
  const cNet = median((samples[`${stat}|c`] ?? []).map((s) => s.netMs / FRAMES));
  for (const c of contenders) {
    const runs = samples[`${stat}|${c.name}`].filter((s) => !s.error);
    const net = median(runs.map((s) => s.netMs / FRAMES));
    rows.push({
      stat,
      contender: c.name,
      netMsPerFrame: net,
      gbPerS: (SIDE * SIDE * 4) / (net * 1e6),
      xC: net / cNet,
      wholeProcessS: median(runs.map((s) => s.wallMs / 1000)),
      peakRssMB: median(runs.map((s) => s.rssKB / 1024)),
      peakRss200MB: rss200[`${stat}|${c.name}`] != null ? rss200[`${stat}|${c.name}`] / 1024 : null,
      maxRelErr: median(runs.map((s) => s.relErr)),
      errors: samples[`${stat}|${c.name}`].filter((s) => s.error).map((s) => s.error),
    });
  }
}
const machine = {
  date: new Date().toISOString(),
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  memGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  commit: spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim(),
  before: nodeBefore ? BEFORE : null,
};
const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '-' : x.toFixed(d));
const table = [
  `| stat | contender | net ms/frame | GB/s | x C loop | whole process s | peak RSS MB (${FRAMES}) | peak RSS MB (200) | max rel. err vs float64 |`,
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.stat} | ${r.contender} | ${fmt(r.netMsPerFrame)} | ${fmt(r.gbPerS, 1)} | ${fmt(r.xC, 1)} | ${fmt(r.wholeProcessS)} | ${fmt(r.peakRssMB, 0)} | ${fmt(r.peakRss200MB, 0)} | ${Number.isFinite(r.maxRelErr) ? r.maxRelErr.toExponential(1) : (r.maxRelErr ?? '-')} |${r.errors.length ? ' failed: ' + r.errors[0] : ''}`,
  ),
].join('\n');
console.log(
  `\n${FRAMES} x ${SIDE}x${SIDE} float32, medians of ${ROUNDS} rounds; ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, commit ${machine.commit}${machine.before ? `, lib-before = ${machine.before}` : ''}\n`,
);
console.log(table);
const previewRows = Object.entries(previewRuns).map(([contender, runs]) => {
  const ok = runs.filter((r) => !r.error);
  return {
    contender,
    framesPerSecond: median(ok.map((r) => r.framesPerSecond)),
    previewsPerSecond: median(ok.map((r) => r.previewsPerSecond)),
    errors: runs.filter((r) => r.error).map((r) => r.error),
  };
});
const previewTable = previewRows.length
  ? [
      `Live preview: ${PREVIEW_FRAMES} frames of ${PREVIEW_SIDE}x${PREVIEW_SIDE} arriving one per macrotask, scanMean over every frame, sampleTime(100) previews read back (medians of ${ROUNDS}):`,
      '',
      '| contender | frames/s reduced | previews/s |',
      '|---|---|---|',
      ...previewRows.map((r) => `| ${r.contender} | ${fmt(r.framesPerSecond, 1)} | ${fmt(r.previewsPerSecond, 1)} |${r.errors.length ? ' failed: ' + r.errors[0] : ''}`),
    ].join('\n')
  : '';
if (previewTable) console.log(`\n${previewTable}`);
writeFileSync(resolve(work, 'results.json'), JSON.stringify({ machine, workload: { frames: FRAMES, side: SIDE, rounds: ROUNDS }, rows, preview: previewRows }, null, 1));
if (args.md) {
  const md = [
    `## ${machine.date.slice(0, 10)}: ${FRAMES} x ${SIDE}x${SIDE} float32, medians of ${ROUNDS} rounds`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB; Node ${machine.node}; commit ${machine.commit}${machine.before ? `; lib-before = ${machine.before}` : ''}.`,
    `Command: \`node bench/run.mjs ${process.argv.slice(2).join(' ')}\``,
    '',
    table,
    '',
    previewTable,
    '',
  ].join('\n');
  const file = resolve(root, args.md);
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  writeFileSync(file, previous.trimEnd() + '\n\n' + md);
  console.log(`\nappended to ${args.md}`);
}
