import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain ESM script without typings
import { generate } from '../scripts/build-wasm.mjs';

// The wasm modules' binaries are committed (accumulators-wasm.ts, codecs-wasm.ts) so that building
// the library needs no wabt; this checks that each is the one its source (.wat) makes. (The specs
// run from the repository root.)
describe('the committed wasm modules', () => {
  it('match accumulators.wat and codecs.wat, built again with wabt (npm run build:wasm)', async () => {
    const files = (await generate(process.cwd())) as { target: string; text: string }[];
    expect(files.length).toBe(2);
    for (const { target, text } of files)
      expect(readFileSync(target, 'utf8') === text)
        .withContext(`${target} is stale: run npm run build:wasm`)
        .toBeTrue();
  });
});
