// npm run bench:hostile: the attacker's run of issue 15. Seeded mutants of the fixtures
// (spec/helpers/mutants.ts: bits flipped, bytes overwritten, files cut short, junk appended,
// header bytes and fields edited), each loaded alone through load() from npstreams-rx/node
// (bench/hostile/child.ts) under a limit of time and memory watched from here: a file that takes
// longer, or takes the process past the memory limit, is a failure (the process killed, another
// started from the next file), as is a process that dies. Each outcome is classed:
//   decoded    frames with positive safe-integer dimensions and as many samples as they say
//   malformed  frames that are not
//   refused    a FileFormatError naming the file, in words
//   engine     a refusal whose reason is an engine's words (TypeError, out of bounds, undefined...)
//   other      an error that is not a FileFormatError naming the file
//   slow       no decision within the limit (default 10 s)
//   memory     the process beyond the memory limit (default 1024 MB)
//   crash      the process died on the file
// The table goes to stdout (and --md FILE); every failure is listed with its file, which stays in
// .tmp/hostile/files for a look.
//   npm run bench:hostile -- [--mutants 3000] [--seed 15] [--limit-s 10] [--limit-mb 1024]
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ENGINE, mutate, wellFormed } from '../../spec/helpers/mutants';
import { prng } from '../../spec/helpers/random';

const args: Record<string, string> = {};
for (let i = 2; i < process.argv.length; i++) args[process.argv[i].replace(/^--/, '')] = process.argv[++i] ?? '';
const MUTANTS = Number(args.mutants ?? 3000);
const SEED = Number(args.seed ?? 15);
const LIMIT_MS = 1000 * Number(args['limit-s'] ?? 10);
const LIMIT_MB = Number(args['limit-mb'] ?? 1024);

const root = process.cwd();
const work = resolve(root, '.tmp/hostile');
const filesDir = join(work, 'files');
const FORMATS = [
  ['npy', /\.npy$/],
  ['png', /\.png$/],
  ['tiff', /\.tif$/],
  ['jpeg', /\.jpg$/],
] as const;
type Format = (typeof FORMATS)[number][0];
type Class = 'decoded' | 'malformed' | 'refused' | 'engine' | 'other' | 'slow' | 'memory' | 'crash';
const CLASSES: Class[] = ['decoded', 'malformed', 'refused', 'engine', 'other', 'slow', 'memory', 'crash'];

// ---- the mutants, written once per run ----
rmSync(filesDir, { recursive: true, force: true });
mkdirSync(filesDir, { recursive: true });
const fixturesDir = resolve(root, 'spec/fixtures/io');
const files: { path: string; format: Format }[] = [];
for (const [f, [format, pattern]] of FORMATS.entries()) {
  const fixtures = readdirSync(fixturesDir)
    .filter((name) => pattern.test(name))
    .sort();
  const r = prng(SEED * 7919 + f);
  const count = Math.floor(MUTANTS / FORMATS.length) + (f < MUTANTS % FORMATS.length ? 1 : 0);
  for (let k = 0; k < count; k++) {
    const name = fixtures[k % fixtures.length];
    const path = join(filesDir, `${format}-${String(k).padStart(4, '0')}-${name}`);
    writeFileSync(path, mutate(new Uint8Array(readFileSync(join(fixturesDir, name))), r));
    files.push({ path, format });
  }
}
const list = join(work, 'list.txt');
writeFileSync(list, files.map((f) => f.path).join('\n'));

// ---- the watched processes ----
interface Outcome {
  k: number;
  ms: number;
  frames?: { shape: number[]; samples: number }[];
  refused?: string;
  name?: string;
}
const classes: Class[] = new Array(files.length);
const notes: string[] = new Array(files.length);
const times: number[] = new Array(files.length).fill(0);
let peakMB = 0;

function classify(o: Outcome): [Class, string] {
  const path = files[o.k].path;
  if (o.frames) {
    const bad = o.frames.find((f) => !wellFormed(f.shape, f.samples, files[o.k].format));
    return bad ? ['malformed', `a frame of shape [${bad.shape.join(', ')}] with ${bad.samples} samples`] : ['decoded', ''];
  }
  const message = o.refused ?? '';
  if (o.name !== 'FileFormatError' || !message.startsWith(`${path}: `)) return ['other', `${o.name}: ${message}`];
  return ENGINE.test(message) ? ['engine', message] : ['refused', message];
}

/** Runs a process over the files from `from`; resolves to the next file to start from (or the end). */
function watch(from: number): Promise<number> {
  return new Promise((done) => {
    const child: ChildProcess = spawn(process.execPath, [join(work, 'child.mjs'), list, String(from)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let current = -1;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stderr = '';
    let killedFor: Class | null = null;
    const kill = (why: Class) => {
      killedFor = why;
      child.kill('SIGKILL');
    };
    const poll = setInterval(() => {
      try {
        const kB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
        peakMB = Math.max(peakMB, kB / 1024);
        if (kB / 1024 > LIMIT_MB) kill('memory');
      } catch {
        // the process has ended
      }
    }, 50);
    child.stderr!.on('data', (d) => (stderr = (stderr + String(d)).slice(-2000)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('start ')) {
        current = Number(line.slice(6));
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => kill('slow'), LIMIT_MS);
        return;
      }
      const o = JSON.parse(line) as Outcome;
      [classes[o.k], notes[o.k]] = classify(o);
      times[o.k] = o.ms;
    });
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      if (current >= 0 && classes[current] === undefined) {
        classes[current] = killedFor ?? 'crash';
        notes[current] =
          killedFor === 'slow'
            ? `no decision within ${LIMIT_MS / 1000} s`
            : killedFor === 'memory'
              ? `beyond ${LIMIT_MB} MB`
              : `the process died (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-2).join(' | ')}`;
        done(current + 1);
      } else done(files.length);
    });
  });
}

const started = performance.now();
for (let from = 0; from < files.length;) {
  from = await watch(from);
  if (from < files.length) console.log(`${files[from - 1].path}: ${classes[from - 1]} (${notes[from - 1]}); going on from the next file`);
}
const seconds = (performance.now() - started) / 1000;

// ---- the table ----
const lines = [
  `${files.length} mutants of the fixtures (seed ${SEED}), each loaded alone through load() (npstreams-rx/node), limits ${LIMIT_MS / 1000} s and ${LIMIT_MB} MB; ${seconds.toFixed(0)} s in all, peak RSS ${peakMB.toFixed(0)} MB`,
  '',
  `| format | mutants | ${CLASSES.join(' | ')} | slowest ms |`,
  `|---|---|${CLASSES.map(() => '---').join('|')}|---|`,
];
for (const [format] of FORMATS) {
  const ks = files.flatMap((f, k) => (f.format === format ? [k] : []));
  const count = (c: Class) => ks.filter((k) => classes[k] === c).length;
  lines.push(`| ${format} | ${ks.length} | ${CLASSES.map(count).join(' | ')} | ${Math.max(...ks.map((k) => times[k]))} |`);
}
const failures = files.flatMap((f, k) => (['decoded', 'refused'].includes(classes[k]) ? [] : [`- ${f.path}: ${classes[k]}: ${notes[k]}`]));
lines.push('', failures.length === 0 ? 'No failure: every mutant decoded to well-formed frames or was refused in words.' : `${failures.length} failures:`, ...failures.slice(0, 50));
if (failures.length > 50) lines.push(`... and ${failures.length - 50} more`);
console.log(lines.join('\n'));
if (args.md) writeFileSync(args.md, lines.join('\n') + '\n');
