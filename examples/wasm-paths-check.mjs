// A fresh Node process (tfjs allows one wasm start per process) whose wasm binaries cannot be
// found: useBackend('wasm') rejects with a BackendError naming setWasmPaths and the file it
// looked for; useBackend() then runs on cpu and warns once, saying why. Run by
// scripts/test-dist.mjs in the consumer project. Prints one line per check and
// `dist-wasm: N passed, N failed`.
import { BackendError, setWasmPaths, useBackend } from 'npstreams-rx';

let passed = 0;
let failed = 0;
const check = (name, ok, detail = '') => {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
};
const warnings = [];
const warn = console.warn;
console.warn = (...args) => warnings.push(args.map(String).join(' '));
const logged = console.log;

await setWasmPaths('/nowhere/');
const err = await useBackend('wasm').catch((e) => e);
check("useBackend('wasm') rejects with a BackendError", err instanceof BackendError, String(err));
check(
  'its message names the file it looked for and setWasmPaths',
  /useBackend\('wasm'\): the wasm backend failed to initialise: its binary was looked for at \/nowhere\/tfjs-backend-wasm(-threaded)?(-simd)?\.wasm \(setWasmPaths\).*call setWasmPaths\(/.test(
    err?.message ?? '',
  ),
  err?.message,
);
const first = await useBackend();
const second = await useBackend();
console.warn = warn;
console.log = logged;
const ours = warnings.filter((w) => w.startsWith('useBackend:'));
check('useBackend() runs on cpu instead', first === 'cpu' && second === 'cpu', `${first}, ${second}`);
check('and warns once, naming the file and setWasmPaths', ours.length === 1 && /wasm backend could not start, so cpu runs instead.*\/nowhere\/.*setWasmPaths/.test(ours[0]), ours.join('\n'));
console.log(`dist-wasm: ${passed} passed, ${failed} failed`);
