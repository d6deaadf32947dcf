// `npm run bench:job`: the job users run, end to end. A folder of detector frames (diffraction
// rings plus Poisson counts) averaged from disk, in every format, by every contender a user would
// reach for, side by side in one run. Each contender is a fresh process, alternating round after
// round, medians over rounds; the page cache is warmed before each format.
//   cli          the command as installed: `npstreams-rx mean "dir/*" --out m.npy`
//   cli-w2       the same with --workers 2
//   cli-before   the command as of an earlier commit (--before REF), built once: today vs then
//   cli-w2-before  the same with --workers 2
//   lib          the library in-process: load (npstreams-rx/node) + reduceMean + save
//   npstreams    npstreams' `last(imean(map(read, files)))` (--npstreams PATH to a checkout)
//   numpy        a NumPy float64 loop over the same reader
// Readers on the Python side: np.load, tifffile.imread, Pillow (PNG, JPEG, and LZW TIFF: tifffile
// reads LZW only through imagecodecs, which Debian does not package).
// Columns: wall s, ratio to npstreams, frames/s, MB/s of file bytes, peak RSS (the process and its
// children), max relative error against the float64 mean of the values the files hold. Then the
// command's peak RSS at --many files (links to the set: flat memory), and its start-up against
// `node -e 0`.
//   node bench/job.mjs [--frames 100] [--side 2048] [--formats npy,tiff,tiff-lzw,png,jpeg]
//                      [--rounds 3] [--contenders cli,cli-w2,lib,npstreams,numpy]
//                      [--npstreams PATH] [--before REF] [--many 1000] [--startup 5] [--md FILE]
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, closeSync, readSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { numpyPython } from '../scripts/numpy-python.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = resolve(root, '.tmp/job');
mkdirSync(work, { recursive: true });
const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const key = process.argv[i].replace(/^--/, '');
  args[key] = process.argv[i + 1] && !process.argv[i + 1].startsWith('--') ? process.argv[++i] : '';
}
const FRAMES = Number(args.frames ?? 100);
const SIDE = Number(args.side ?? 2048);
const FORMATS = (args.formats ?? 'npy,tiff,tiff-lzw,png,jpeg').split(',');
const ROUNDS = Number(args.rounds ?? 3);
const MANY = Number(args.many ?? 1000);
const STARTUP = Number(args.startup ?? 5);
const EXT = { npy: 'npy', tiff: 'tif', 'tiff-lzw': 'tif', png: 'png', jpeg: 'jpg', 'h5-gzip': 'h5', 'h5-bslz4': 'h5' };
/** HDF5 formats: one file of FRAMES frames (a NeXus /entry/data/data, one frame per chunk). */
const isH5 = (format) => format.startsWith('h5-');
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

// ---- what the contenders need ----
const python = numpyPython(['tifffile', 'PIL', ...(FORMATS.some(isH5) ? ['h5py'] : [])]);
if (!python)
  throw new Error('bench:job needs a Python with NumPy, tifffile and Pillow, and h5py for HDF5 (Debian: apt-get install python3-numpy python3-tifffile python3-pil python3-h5py bitshuffle)');
const pyEnv = { ...process.env, ...(args.npstreams ? { PYTHONPATH: [args.npstreams, process.env.PYTHONPATH].filter(Boolean).join(':') } : {}) };
const hasNpstreams = spawnSync(python, ['-c', 'import npstreams'], { env: pyEnv }).status === 0;
if (!hasNpstreams) console.log('(no npstreams contender: python3 cannot import npstreams; pass --npstreams PATH to a checkout)');

const measure = resolve(work, 'measure');
execFileSync('gcc', ['-O2', '-o', measure, resolve(root, 'bench/job/measure.c')]);

// the data set, written once per (frames, side, format)
const setDir = resolve(work, `set-${SIDE}x${FRAMES}`);
const missing = FORMATS.filter((f) => !existsSync(join(setDir, `${f}-mean.npy`)));
if (missing.length) {
  console.log(`writing ${FRAMES} frames of ${SIDE}x${SIDE} as ${missing.join(', ')} into ${setDir} (once)...`);
  execFileSync(python, [resolve(root, 'bench/job/write_set.py'), setDir, String(FRAMES), String(SIDE), missing.join(',')], { stdio: 'inherit' });
}
const filesOf = (format) =>
  isH5(format)
    ? [join(setDir, format, 'run.h5')]
    : readdirSync(join(setDir, format))
        .filter((f) => f.startsWith('frame-'))
        .sort()
        .map((f) => join(setDir, format, f));
const globOf = (format) => (isH5(format) ? filesOf(format)[0] : join(setDir, format, `*.${EXT[format]}`));

// the command as the workspace runs it (scripts/npstreams-rx.mjs), built before timing
const cliBin = resolve(root, 'scripts/npstreams-rx.mjs');
execFileSync('node', [cliBin, '--help'], { stdio: 'ignore' });
let beforeBin = null;
if (args.before) {
  const dir = resolve(work, `before-${args.before}`);
  if (!existsSync(join(dir, 'scripts/npstreams-rx.mjs'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['-C', root, 'archive', args.before, 'projects', 'scripts', 'package.json', 'tsconfig.json'], { maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    symlinkSync(resolve(root, 'node_modules'), join(dir, 'node_modules'));
  }
  beforeBin = join(dir, 'scripts/npstreams-rx.mjs');
  execFileSync('node', [beforeBin, '--help'], { stdio: 'ignore' }); // builds it
}
const libBundle = resolve(work, 'lib-contender.mjs');
await build({
  entryPoints: [resolve(root, 'bench/job/lib-contender.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile: libBundle,
  logLevel: 'warning',
});

const py = resolve(root, 'bench/job/python_contender.py');
const all = [
  { name: 'cli', cmd: (fmt, out) => ['node', [cliBin, 'mean', globOf(fmt), '--out', out, '--quiet']] },
  { name: 'cli-w2', cmd: (fmt, out) => ['node', [cliBin, 'mean', globOf(fmt), '--out', out, '--quiet', '--workers', '2']] },
  ...(beforeBin
    ? [
        { name: 'cli-before', cmd: (fmt, out) => ['node', [beforeBin, 'mean', globOf(fmt), '--out', out, '--quiet']], env: { NPSTREAMS_RX_PREBUILT: '1' } },
        { name: 'cli-w2-before', cmd: (fmt, out) => ['node', [beforeBin, 'mean', globOf(fmt), '--out', out, '--quiet', '--workers', '2']], env: { NPSTREAMS_RX_PREBUILT: '1' } },
      ]
    : []),
  { name: 'lib', cmd: (fmt, out) => ['node', [libBundle, out, globOf(fmt)]] },
  ...(hasNpstreams ? [{ name: 'npstreams', cmd: (fmt, out) => [python, [py, 'npstreams', fmt, out, ...filesOf(fmt)]], env: pyEnv }] : []),
  { name: 'numpy', cmd: (fmt, out) => [python, [py, 'numpy', fmt, out, ...filesOf(fmt)]] },
];
const wanted = args.contenders ? new Set(args.contenders.split(',')) : null;
const contenders = all.filter((c) => !wanted || wanted.has(c.name));

/** Runs a command under the measuring wrapper: { wallS, rssKB, exit } and the last stderr lines. */
function measured(cmd, argv, env = {}) {
  const result = resolve(work, 'measure.json');
  rmSync(result, { force: true });
  const fd = openSync(result, 'w');
  const run = spawnSync(measure, [cmd, ...argv], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', fd], maxBuffer: 1 << 26 });
  closeSync(fd);
  const r = JSON.parse(readFileSync(result, 'utf8'));
  if (r.exit !== 0) r.error = `exit ${r.exit}: ${(run.stderr || run.stdout || '').trim().split('\n').slice(-3).join(' | ')}`;
  return r;
}

/** Reads every file once, so that every contender meets a warm page cache. */
function warm(files) {
  const buf = Buffer.allocUnsafe(1 << 22);
  for (const f of files) {
    const fd = openSync(f, 'r');
    while (readSync(fd, buf, 0, buf.length, null) > 0);
    closeSync(fd);
  }
}

/** Max relative error of each result against the float64 mean (one Python process for all). */
function errors(pairs) {
  const code = `
import json, sys
import numpy as np
out = []
for res, ref in json.loads(sys.argv[1]):
    try:
        r, t = np.load(res).astype(np.float64), np.load(ref)
        out.append(float(np.max(np.abs(r - t) / np.abs(t))) if r.shape == t.shape else f"shape {r.shape}")
    except Exception as e:
        out.append(str(e)[:80])
print(json.dumps(out))`;
  return JSON.parse(execFileSync(python, ['-c', code, JSON.stringify(pairs)], { encoding: 'utf8', maxBuffer: 1 << 24 }));
}

// ---- the job, format by format ----
const rows = [];
for (const format of FORMATS) {
  const files = filesOf(format);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  warm(files);
  const runs = Object.fromEntries(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // alternate: each round starts with the next contender
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
    for (const c of order) {
      const out = resolve(work, `out-${c.name}-${format}.npy`);
      rmSync(out, { force: true });
      const [cmd, argv] = c.cmd(format, out);
      const r = measured(cmd, argv, c.env);
      runs[c.name].push(r);
      console.log(`${format} round ${round + 1} ${c.name}: ${r.error ?? `${r.wallS.toFixed(2)} s, ${(r.rssKB / 1024).toFixed(0)} MB`}`);
    }
  }
  const errs = errors(contenders.map((c) => [resolve(work, `out-${c.name}-${format}.npy`), join(setDir, `${format}-mean.npy`)]));
  const base = median(runs.npstreams?.map((r) => (r.error ? NaN : r.wallS)) ?? []);
  contenders.forEach((c, i) => {
    const wall = median(runs[c.name].map((r) => (r.error ? NaN : r.wallS)));
    rows.push({
      format,
      contender: c.name,
      wallS: wall,
      ratio: wall / base,
      framesPerS: (isH5(format) ? FRAMES : files.length) / wall,
      mbPerS: bytes / 2 ** 20 / wall,
      peakRssMB: median(runs[c.name].map((r) => r.rssKB / 1024)),
      maxRelErr: errs[i],
      errors: runs[c.name].filter((r) => r.error).map((r) => r.error),
    });
  });
}

// ---- flat memory: the command over --many files (links cycling over the set) ----
const many = [];
if (MANY > 0) {
  for (const format of FORMATS.filter((f) => !isH5(f))) {
    const dir = resolve(work, `many-${SIDE}x${MANY}-${format}`);
    if (!existsSync(join(dir, 'done'))) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const files = filesOf(format);
      for (let k = 0; k < MANY; k++) symlinkSync(files[k % files.length], join(dir, `frame-${String(k).padStart(5, '0')}.${EXT[format]}`));
      writeFileSync(join(dir, 'done'), '');
    }
    for (const c of contenders.filter((c) => c.name.startsWith('cli'))) {
      const out = resolve(work, `out-many-${c.name}.npy`);
      const r = measured(
        c.cmd(format, out)[0],
        c.cmd(format, out)[1].map((a) => (a === globOf(format) ? join(dir, `*.${EXT[format]}`) : a)),
        c.env,
      );
      const at100 = rows.find((x) => x.format === format && x.contender === c.name);
      many.push({ format, contender: c.name, files: MANY, wallS: r.wallS, peakRssMB: r.rssKB / 1024, peakRss100MB: at100?.peakRssMB, error: r.error });
      console.log(`${format} x${MANY} ${c.name}: ${r.error ?? `${r.wallS.toFixed(2)} s, ${(r.rssKB / 1024).toFixed(0)} MB`}`);
    }
  }
}

// ---- start-up: node -e 0, --help, one small file ----
const startup = [];
if (STARTUP > 0) {
  const small = resolve(work, 'small.npy');
  execFileSync(python, ['-c', `import numpy as np; np.save(${JSON.stringify(small)}, np.arange(16, dtype=np.float32).reshape(4, 4))`]);
  const cases = [
    { name: '`node -e 0`', cmd: ['node', ['-e', '0']] },
    { name: '`npstreams-rx --help`', cmd: ['node', [cliBin, '--help']] },
    { name: '`npstreams-rx mean small.npy` (one 4x4 file)', cmd: ['node', [cliBin, 'mean', small, '--out', resolve(work, 'small-mean.npy'), '--quiet']] },
    ...(beforeBin
      ? [
          { name: '`--help`, before', cmd: ['node', [beforeBin, '--help']], env: { NPSTREAMS_RX_PREBUILT: '1' } },
          { name: 'one small file, before', cmd: ['node', [beforeBin, 'mean', small, '--out', resolve(work, 'small-mean.npy'), '--quiet']], env: { NPSTREAMS_RX_PREBUILT: '1' } },
        ]
      : []),
  ];
  const times = cases.map(() => []);
  for (let k = 0; k < STARTUP; k++) cases.forEach((c, i) => times[i].push(measured(c.cmd[0], c.cmd[1], c.env).wallS));
  const base = median(times[0]);
  cases.forEach((c, i) => startup.push({ case: c.name, wallS: median(times[i]), overNodeS: median(times[i]) - base }));
}

// ---- report ----
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const lines = [
  `### bench:job, ${FRAMES} files of ${SIDE}x${SIDE}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), medians of ${ROUNDS}, ${new Date().toISOString().slice(0, 10)}`,
  '',
  '| format | contender | wall s | x npstreams | frames/s | MB/s of files | peak RSS MB | max rel. err vs float64 |',
  '|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.format} | ${r.contender} | ${fmt(r.wallS)} | ${fmt(r.ratio)} | ${fmt(r.framesPerS, 1)} | ${fmt(r.mbPerS, 0)} | ${fmt(r.peakRssMB, 0)} | ${typeof r.maxRelErr === 'number' ? r.maxRelErr.toExponential(1) : r.maxRelErr} |${r.errors.length ? ' failed: ' + r.errors[0] : ''}`,
  ),
];
if (many.length) {
  lines.push('', `| format | contender | files | wall s | peak RSS MB | at ${FRAMES} files |`, '|---|---|---|---|---|---|');
  for (const m of many) lines.push(`| ${m.format} | ${m.contender} | ${m.files} | ${fmt(m.wallS)} | ${fmt(m.peakRssMB, 0)} | ${fmt(m.peakRss100MB, 0)} |${m.error ? ' failed: ' + m.error : ''}`);
}
if (startup.length) {
  lines.push('', '| start-up | wall s | over `node -e 0` |', '|---|---|---|');
  for (const s of startup) lines.push(`| ${s.case} | ${fmt(s.wallS, 3)} | ${fmt(s.overNodeS, 3)} |`);
}
const table = lines.join('\n');
console.log(`\n${table}`);
writeFileSync(resolve(work, 'results.json'), JSON.stringify({ rows, many, startup }, null, 2));
if (args.md) appendFileSync(args.md, `\n${table}\n`);
