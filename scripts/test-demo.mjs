// The dashboard's component and service specs (spec/demo/) under Karma in headless Chromium:
// `ng test demo` (@angular/build:karma, AOT, demo/karma.conf.cjs). Chromium from
// scripts/chromium.mjs. Prints `demo: N passed, N failed`; the counts are in .tmp/results/demo.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromiumPath } from './chromium.mjs';

chromiumPath();
const results = '.tmp/results/demo.json';
rmSync(results, { force: true });
const ng = createRequire(import.meta.url).resolve('@angular/cli/bin/ng.js');
const run = spawnSync(process.execPath, [ng, 'test', 'demo', '--watch=false', '--progress=false'], {
  stdio: 'inherit',
  env: { ...process.env, NG_CLI_ANALYTICS: 'false' },
});
const counts = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : { passed: 0, failed: 1 };
if (run.status !== 0 && counts.failed === 0) counts.failed = 1;
console.log(`demo: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed || counts.passed === 0 ? 1 : 0);
