// The README's test command (`npm test`): ESLint and Prettier's check (npm run lint), the specs in Node (cpu, wasm), the built package
// imported from dist/ by a plain Node ESM script, the specs in headless Chromium
// (webgl, webgpu, wasm, cpu), the dashboard's component and service specs (Karma, AOT), and the
// dashboard end to end (built, served, driven in headless Chromium). Runs every stage even after a failure and ends with one line
// `N passed, N failed` summing them all.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const stages = [
  { name: 'lint', cmd: ['node', 'scripts/lint.mjs'] },
  { name: 'node', cmd: ['node', 'scripts/test-node.mjs'] },
  { name: 'dist', cmd: ['node', 'scripts/test-dist.mjs'] },
  { name: 'browser', cmd: ['node', 'scripts/test-browser.mjs'] },
  { name: 'demo', cmd: ['node', 'scripts/test-demo.mjs'] },
  { name: 'e2e', cmd: ['node', 'scripts/test-e2e.mjs'] },
];
const total = { passed: 0, failed: 0 };
for (const stage of stages) {
  const results = `.tmp/results/${stage.name}.json`;
  rmSync(results, { force: true });
  console.log(`\n=== ${stage.name} ===`);
  const run = spawnSync(stage.cmd[0], stage.cmd.slice(1), { stdio: 'inherit' });
  const counts = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : { passed: 0, failed: 1 };
  if (run.status !== 0 && counts.failed === 0) counts.failed = 1; // crashed after writing its counts
  total.passed += counts.passed;
  total.failed += counts.failed;
}
console.log(`\n${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed === 0 && total.passed > 0 ? 0 : 1);
