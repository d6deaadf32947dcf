// The package as a new user meets it: `npm run pack` builds dist/npstreams-rx and packs it into
// a tarball, which is installed (with its dependencies and peers from the npm cache, the
// registry if needed) into a fresh consumer project outside the workspace. There:
//  - the consumer has one copy of @tensorflow/tfjs-core;
//  - examples/node-dist-check.mjs: the main entry from plain Node ESM, on cpu and wasm, against
//    NumPy's values (spec/fixtures/reductions.json);
//  - examples/wasm-paths-check.mjs: wasm binaries that cannot be found, named (a fresh process);
//  - examples/node-entry-check.mjs: npstreams-rx/node (load, save, parallelReduce and workerPool
//    on worker threads);
//  - the package's bin: `npx npstreams-rx --help`, a run on fixtures, exit codes;
//  - examples/consumer.ts type-checks under moduleResolution bundler and node16;
//  - examples/angular-app, an Angular application of a new user's, built from the tarball under
//    `ng new`'s default budgets (each backend a lazy chunk, no CommonJS warning) and opened in
//    Chromium, its pixels drawn (scripts/angular-consumer.mjs).
// Prints one line per check and writes .tmp/results/dist.json for scripts/test.mjs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkAngularConsumer } from './angular-consumer.mjs';
import { pack } from './pack.mjs';

const counts = { passed: 0, failed: 0 };
const save = () => {
  mkdirSync('.tmp/results', { recursive: true });
  writeFileSync('.tmp/results/dist.json', JSON.stringify(counts));
};
const check = (name, ok, detail = '') => {
  if (ok) counts.passed++;
  else counts.failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : `\n${detail}`}`);
};
// tfjs advertises tfjs-node, which cannot be installed here: keep the output readable.
const noise = (l) => /tfjs-node|^=+$|^Hi, looks like|^\s*$/.test(l);
const quiet = (s) =>
  s
    .split('\n')
    .filter((l) => !noise(l))
    .join('\n');

let tarball;
try {
  tarball = pack();
} catch (err) {
  counts.failed = 1;
  save();
  console.log(`dist: ${err.message}`);
  process.exit(1);
}
const workspace = JSON.parse(readFileSync('package.json', 'utf8'));
const consumer = mkdtempSync(join(tmpdir(), 'npstreams-rx-consumer-'));
try {
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = spawnSync(
    'npm',
    ['install', tarball, `typescript@${workspace.devDependencies.typescript}`, `@types/node@${workspace.devDependencies['@types/node']}`, '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: consumer, encoding: 'utf8' },
  );
  check('npm install of the tarball in a fresh project', install.status === 0, install.stderr);

  const copies = spawnSync('find', ['node_modules', '-type', 'd', '-name', 'tfjs-core', '-path', '*@tensorflow*'], { cwd: consumer, encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  check('one copy of @tensorflow/tfjs-core in the consumer', copies.length === 1, copies.join('\n'));

  const node = (script, ...args) => {
    copyFileSync(`examples/${script}`, join(consumer, script));
    const run = spawnSync('node', [script, ...args], { cwd: consumer, encoding: 'utf8' });
    process.stdout.write(quiet(run.stdout) + '\n');
    process.stderr.write(quiet(run.stderr));
    const summary = /(\d+) passed, (\d+) failed/.exec(run.stdout);
    counts.passed += summary ? Number(summary[1]) : 0;
    counts.failed += summary ? Number(summary[2]) : 1;
    if (run.status !== 0 && summary && Number(summary[2]) === 0) counts.failed++;
  };
  node('node-dist-check.mjs', resolve('spec/fixtures/reductions.json'));
  node('node-entry-check.mjs', resolve('spec/fixtures/io'));
  node('wasm-paths-check.mjs');

  const bin = (...args) => spawnSync('npx', ['--no-install', 'npstreams-rx', ...args], { cwd: consumer, encoding: 'utf8' });
  const help = bin('--help');
  check('npx npstreams-rx --help: the usage, exit 0', help.status === 0 && help.stdout.includes('Usage: npstreams-rx'), help.stderr);
  const run = bin('mean', resolve('spec/fixtures/io/gray16.*'), '-o', 'mean.npy', '--backend', 'cpu');
  check(
    'npx npstreams-rx mean "<fixtures>/gray16.*" -o mean.npy: exit 0 and the file',
    run.status === 0 && existsSync(join(consumer, 'mean.npy')) && run.stdout.includes('mean of 2 frames'),
    quiet(run.stdout + run.stderr),
  );
  // the decoding threads (node/decode-worker.mjs) and the JPEG codec (libjpeg-turbo, wasm) as installed
  const threads = bin('mean', resolve('spec/fixtures/io/gray16-*-*.tif'), '-o', 'threads.npy', '--workers', '2');
  check(
    'npx npstreams-rx mean "<fixtures>/gray16-*-*.tif" --workers 2: exit 0, decoded on the threads',
    threads.status === 0 && threads.stdout.includes('mean of 5 frames of shape [23, 37]') && threads.stdout.includes('decoded on 2 worker threads'),
    quiet(threads.stdout + threads.stderr),
  );
  // foldFiles (raw files folded on threads, node/decode-worker.mjs) as installed
  const fold = bin('mean', resolve('spec/fixtures/io/f4.npy'), resolve('spec/fixtures/io/f4.npy'), '-o', 'fold.npy', '--workers', '2');
  check(
    'npx npstreams-rx mean f4.npy f4.npy --workers 2: exit 0, folded on a thread',
    fold.status === 0 && fold.stdout.includes('mean of 2 frames') && fold.stdout.includes('folded on 1 worker thread,'),
    quiet(fold.stdout + fold.stderr),
  );
  const jpeg = bin('max', resolve('spec/fixtures/io/gray.jpg'), '-o', 'jpeg.npy');
  check('npx npstreams-rx max "<fixtures>/gray.jpg": exit 0 (libjpeg-turbo)', jpeg.status === 0 && jpeg.stdout.includes('of shape [5, 7]'), quiet(jpeg.stdout + jpeg.stderr));
  const bad = bin('median', 'x.npy', '-o', 'r.npy');
  check('npx npstreams-rx with a bad statistic: exit 2', bad.status === 2 && bad.stderr.includes("unknown statistic 'median'"), bad.stderr);

  // browser bundles (esbuild, platform browser): the main entry and the Web Worker pool pull in no
  // Node built-in; a worker's module (exposeFunctions) pulls in no tfjs either
  writeFileSync(
    join(consumer, 'page.mjs'),
    "import { load, scanMean, pmap } from 'npstreams-rx';\nimport { workerPool } from 'npstreams-rx/worker';\nconsole.log(load, scanMean, pmap, workerPool);\n",
  );
  writeFileSync(join(consumer, 'denoise.worker.mjs'), "import { exposeFunctions } from 'npstreams-rx/worker';\nexposeFunctions({ denoise: (f) => f });\n");
  const esbuild = resolve('node_modules/.bin/esbuild');
  for (const [entry, noTfjs] of [
    ['page.mjs', false],
    ['denoise.worker.mjs', true],
  ]) {
    const b = spawnSync(esbuild, [entry, '--bundle', '--platform=browser', '--format=esm', `--outfile=out-${entry}`, '--log-level=error'], { cwd: consumer, encoding: 'utf8' });
    const text = b.status === 0 ? readFileSync(join(consumer, `out-${entry}`), 'utf8') : '';
    const tfjs = text.includes('@tensorflow') || text.includes('tfjs-core');
    check(`a browser bundle of ${entry} resolves without Node built-ins${noTfjs ? ', and without tfjs' : ''}`, b.status === 0 && (!noTfjs || !tfjs), b.stderr || (tfjs ? 'tfjs is in the bundle' : ''));
  }

  copyFileSync('examples/consumer.ts', join(consumer, 'consumer.ts'));
  for (const [module, resolution] of [
    ['preserve', 'bundler'],
    ['node16', 'node16'],
  ]) {
    const tsconfig = {
      compilerOptions: { target: 'ES2022', module, moduleResolution: resolution, strict: true, noEmit: true, skipLibCheck: true, lib: ['ES2022'], types: ['node'] },
      files: ['consumer.ts'],
    };
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = spawnSync(join(consumer, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: consumer, encoding: 'utf8' });
    check(`a TypeScript consumer type-checks (moduleResolution ${resolution}, skipLibCheck)`, tsc.status === 0, tsc.stdout + tsc.stderr);
  }
} finally {
  rmSync(consumer, { recursive: true, force: true });
}
try {
  await checkAngularConsumer(tarball, check);
} catch (err) {
  check('the Angular application of a new user', false, err.stack);
}
console.log(`dist: ${counts.passed} passed, ${counts.failed} failed`);
save();
process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
