import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeScriptUrl, threadPool } from '../projects/npstreams-rx/node/src/thread-pool';
import type { DecodeOutcome } from '../projects/npstreams-rx/node/src/decode-pool';
import { ENGINE, mutate, wellFormed } from './helpers/mutants';
import { prng } from './helpers/random';

// Hostile files (issue 15): seeded mutations of the fixtures (bit flips, bytes overwritten, the file
// cut short, junk appended, a header byte changed), each decoded by a decoding thread (the
// library's decoders, Node's zlib, libjpeg-turbo) under a deadline. Every mutant must come back
// within the deadline as well-formed frames (positive image dimensions, as many samples as the
// shape says) or as a refusal in words: never an engine error as the reason, never a hang, and
// never more than 256 MB of this process's resident memory above where the stage started.

const PER_FORMAT = 200;
const DEADLINE_MS = 2000;

describe('hostile files: seeded mutants of the fixtures, each decoded on a thread under a deadline', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'npstreams-rx-fuzz-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const [format, pattern] of [
    ['npy', /\.npy$/],
    ['png', /\.png$/],
    ['tiff', /\.tif$/],
    ['jpeg', /\.jpg$/],
  ] as const) {
    it(`${PER_FORMAT} mutants of the ${format} fixtures: frames well formed or refusals in words, each within ${DEADLINE_MS} ms`, async () => {
      const fixtures = readdirSync('spec/fixtures/io')
        .filter((f) => pattern.test(f))
        .sort();
      const r = prng(format.length * 7919);
      const { run, terminate } = threadPool(decodeScriptUrl(), 1);
      const problems: string[] = [];
      let decoded = 0;
      let refused = 0;
      const start = process.memoryUsage().rss;
      try {
        for (let k = 0; k < PER_FORMAT; k++) {
          const name = fixtures[k % fixtures.length];
          const path = join(dir, `${k}-${name}`);
          writeFileSync(path, mutate(new Uint8Array(readFileSync(join('spec/fixtures/io', name))), r));
          const deadline = AbortSignal.timeout(DEADLINE_MS);
          let outcome: DecodeOutcome;
          try {
            outcome = await run<DecodeOutcome>('decode', [path], [], deadline);
          } catch {
            problems.push(`${k}-${name}: no decision within ${DEADLINE_MS} ms`);
            continue;
          }
          const growth = process.memoryUsage().rss - start;
          if (growth > 256 * 2 ** 20) problems.push(`${k}-${name}: the process grew by ${Math.round(growth / 2 ** 20)} MB`);
          if ('frames' in outcome) {
            decoded++;
            for (const f of outcome.frames) {
              if (!wellFormed(f.shape, f.data.length, format)) problems.push(`${k}-${name}: a frame of shape [${f.shape.join(', ')}] with ${f.data.length} samples`);
            }
          } else {
            refused++;
            if (ENGINE.test(outcome.error.message)) problems.push(`${k}-${name}: refused with an engine's words: ${outcome.error.message}`);
          }
        }
      } finally {
        await terminate();
      }
      expect(problems).withContext(`${decoded} decoded, ${refused} refused`).toEqual([]);
      expect(decoded + refused).toBe(PER_FORMAT - problems.filter((p) => p.includes('no decision')).length);
    });
  }
});
