import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain ESM script without typings
import { generate } from '../scripts/build-wasm.mjs';

// The wasm kernels' binary is committed (accumulators-wasm.ts) so that building the library
// needs no wabt; this checks that it is the one its source (accumulators.wat) makes. (The
// specs run from the repository root.)
describe('the committed wasm module', () => {
  it('matches accumulators.wat, built again with wabt (npm run build:wasm)', async () => {
    const committed = readFileSync('projects/npstreams-rx/src/lib/kernels/wasm/accumulators-wasm.ts', 'utf8');
    expect(committed === (await generate(process.cwd()))).withContext('accumulators-wasm.ts is stale: run npm run build:wasm').toBeTrue();
  });
});
