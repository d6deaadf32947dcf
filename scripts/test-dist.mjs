// Builds the library with ng-packagr into dist/npstreams-rx, links it as the package
// 'npstreams-rx' into a scratch consumer folder and runs examples/node-dist-check.mjs there:
// the published ESM entry, imported by name from plain Node, on cpu and wasm.
// Writes .tmp/results/dist.json for scripts/test.mjs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const counts = { passed: 0, failed: 0 };
const save = () => {
  mkdirSync('.tmp/results', { recursive: true });
  writeFileSync('.tmp/results/dist.json', JSON.stringify(counts));
};
const build = spawnSync('npx', ['ng', 'build', 'npstreams-rx'], { stdio: 'inherit', env: { ...process.env, NG_CLI_ANALYTICS: 'false' } });
if (build.status !== 0) {
  counts.failed = 1;
  save();
  console.log('dist: the library build failed');
  process.exit(1);
}
const consumer = resolve('.tmp/dist-consumer');
rmSync(consumer, { recursive: true, force: true });
mkdirSync(`${consumer}/node_modules`, { recursive: true });
symlinkSync(resolve('dist/npstreams-rx'), `${consumer}/node_modules/npstreams-rx`, 'dir');
copyFileSync('examples/node-dist-check.mjs', `${consumer}/check.mjs`);
const run = spawnSync('node', ['check.mjs', resolve('spec/fixtures/reductions.json')], { cwd: consumer, encoding: 'utf8' });
// tfjs advertises tfjs-node, which cannot be installed here: keep the output readable.
const noise = (l) => /tfjs-node|^=+$|^Hi, looks like|^\s*$/.test(l);
process.stdout.write(run.stdout.split('\n').filter((l) => !noise(l)).join('\n') + '\n');
process.stderr.write(run.stderr.split('\n').filter((l) => !noise(l)).join('\n'));
const summary = /dist: (\d+) passed, (\d+) failed/.exec(run.stdout);
counts.passed = summary ? Number(summary[1]) : 0;
counts.failed = summary ? Number(summary[2]) : 1;
save();
process.exit(run.status === 0 && counts.failed === 0 ? 0 : 1);
