// One file decoded in this process (a fresh one per file: bench/bounds.mjs): what it became, how
// long it took and how much the process grew, as one JSON line.
import { readFileSync } from 'node:fs';
import '../projects/npstreams-rx/node/src/public-api';
import { decodeFile } from '../projects/npstreams-rx/src/public-api';

const path = process.argv[2];
const bytes = new Uint8Array(readFileSync(path));
const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
let outcome: string;
try {
  const [frame] = await decodeFile(bytes, path.split('/').pop()!);
  outcome = `decoded [${frame.shape.join(', ')}]`;
} catch (err) {
  outcome = `refused: ${(err as Error).message.replace(/^[^:]*: cannot be decoded as \w+: /, '')}`;
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ bytes: bytes.length, outcome, ms, growthMiB: (process.memoryUsage().rss - rss0) / 2 ** 20 }));
