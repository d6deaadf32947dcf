// Type-checks the library and the specs (tsconfig.spec.json: esbuild does not), then runs the
// specs in Node with jasmine, on the cpu and wasm backends (NPSTREAMS_BACKENDS narrows; --unit:
// see below).
// Prints `node: N passed, N failed` (a failed type check counts as one failure) and writes
// .tmp/results/node.json for scripts/test.mjs.
import Jasmine from 'jasmine';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { bundleSpecs, specFiles } from './bundle-specs.mjs';
import { numpyPython } from './numpy-python.mjs';
import { redisServer } from './redis-server.mjs';

// --unit (npm run test:unit, the inner loop: seconds): no type check (npm run typecheck), the specs
// of every environment (not *.node.spec.ts: files, processes, threads, Redis) on cpu, without the
// long streams (a million frames)
const unit = process.argv.includes('--unit');
if (unit) {
  process.env.NPSTREAMS_BACKENDS ??= 'cpu';
  process.env.NPSTREAMS_SPECS ??= specFiles()
    .filter((f) => !f.endsWith('.node.spec.ts') && !f.endsWith('.browser.spec.ts'))
    .map((f) => basename(f, '.spec.ts'))
    .join(',');
}
const typecheck = unit ? { status: 0 } : spawnSync('npx', ['tsc', '-p', 'tsconfig.spec.json'], { stdio: 'inherit' });
if (typecheck.status !== 0) console.log('node: the type check (tsc -p tsconfig.spec.json) failed');
const specs = bundleSpecs('node');
// spec/io.node.spec.ts reads what the library writes with numpy.load, spec/cli.node.spec.ts its
// HDF5 results with h5py
process.env.NPSTREAMS_PYTHON = numpyPython(['h5py']) ?? '';
// spec/queue.node.spec.ts starts its own Redis servers (loopback) and worker processes
process.env.NPSTREAMS_REDIS_SERVER = redisServer() ?? '';
const jasmine = new Jasmine();
jasmine.exitOnCompletion = false;
// random order (Jasmine's default; its reporter prints the seed): NPSTREAMS_SEED=N replays one,
// NPSTREAMS_RANDOM=0 runs the specs in file order
jasmine.loadConfig({ spec_files: [specs], random: process.env.NPSTREAMS_RANDOM !== '0', stopSpecOnExpectationFailure: false });
if (process.env.NPSTREAMS_SEED) jasmine.seed(process.env.NPSTREAMS_SEED);
const counts = { passed: 0, failed: typecheck.status === 0 ? 0 : 1, skipped: 0 };
// NPSTREAMS_SLOWEST=N lists the N slowest specs at the end; NPSTREAMS_ORDER=1 names each as it ends
const durations = [];
const order = process.env.NPSTREAMS_ORDER === '1';
jasmine.addReporter({
  specDone: (r) => {
    durations.push([r.duration ?? 0, r.fullName]);
    if (order) console.log(`${r.status.padEnd(7)} ${String(r.duration ?? 0).padStart(6)} ms  ${r.fullName}`);
    if (r.status === 'passed') counts.passed++;
    else if (r.status === 'failed') counts.failed++;
    else counts.skipped++;
  },
  suiteDone: (r) => {
    // errors in beforeAll/afterAll fail the suite, not a spec: count them
    if (r.status === 'failed') counts.failed++;
  },
});
// tfjs advertises tfjs-node, which cannot be installed here; keep the output readable.
const warn = console.warn;
console.warn = (...args) => (String(args[0]).includes('tfjs-node') ? undefined : warn(...args));
const result = await jasmine.execute(undefined, unit ? '^(?!.*long stream)' : undefined);
const slowest = Number(process.env.NPSTREAMS_SLOWEST ?? 0);
if (slowest > 0) for (const [ms, name] of durations.sort((a, b) => b[0] - a[0]).slice(0, slowest)) console.log(`${String(ms).padStart(6)} ms  ${name}`);
if (result.overallStatus === 'incomplete' && counts.failed === 0) counts.failed++;
mkdirSync('.tmp/results', { recursive: true });
writeFileSync('.tmp/results/node.json', JSON.stringify(counts));
console.log(`node: ${counts.passed} passed, ${counts.failed} failed`);
process.exitCode = counts.failed || counts.passed === 0 ? 1 : 0;
