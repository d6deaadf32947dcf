// `npm run lint`, and the first stage of `npm test`: ESLint (eslint.config.mjs), Prettier's
// check (.prettierrc.json; `npm run format` rewrites) and the API reference (`npm run docs`:
// TypeDoc, warnings as errors, and the examples compiled). Each check counts as one passed or
// failed in the suite's last line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';

const checks = [
  { name: 'eslint: no problems', cmd: ['npx', 'eslint', '.'] },
  { name: 'prettier: every source formatted', cmd: ['npx', 'prettier', '--check', '.', '--log-level', 'warn'] },
  { name: 'docs: the API reference builds, nothing undocumented (TypeDoc, warnings as errors)', cmd: ['npx', 'typedoc', '--logLevel', 'Warn'] },
  { name: 'docs: every exported function and class has an example, and every example compiles', cmd: ['node', 'scripts/check-examples.mjs'] },
];
const counts = { passed: 0, failed: 0 };
for (const check of checks) {
  const run = spawnSync(check.cmd[0], check.cmd.slice(1), { stdio: 'inherit' });
  const ok = run.status === 0;
  if (ok) counts.passed++;
  else counts.failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${check.name}`);
}
mkdirSync('.tmp/results', { recursive: true });
writeFileSync('.tmp/results/lint.json', JSON.stringify(counts));
console.log(`lint: ${counts.passed} passed, ${counts.failed} failed`);
process.exitCode = counts.failed ? 1 : 0;
