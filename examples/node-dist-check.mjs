// A plain Node 20 ESM consumer of the built package (dist/npstreams-rx): reduceMean and a
// weighted reduceAverage of streams of {data, shape} objects, on the cpu and wasm backends,
// compared with NumPy's float64 results from spec/fixtures/reductions.json.
// Run by `node scripts/test-dist.mjs` (which builds the package and links it as 'npstreams-rx').
// Prints one line per check and `dist: N passed, N failed`.
import { readFileSync } from 'node:fs';
import { from, lastValueFrom } from 'rxjs';
import { reduceAverage, reduceMean, useBackend } from 'npstreams-rx';

const fixtures = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const RTOL = 1e-5; // the specs' float32 tolerance (spec/helpers/close.ts)
const ATOL = 1e-6;
const wanted = fixtures.cases.filter((c) => c.form === 'dataShape' && c.itemDtype === 'float32' && (c.op === 'mean' || (c.op === 'average' && c.weights)));
const flat = (v) => (Array.isArray(v) ? v.flatMap(flat) : [v === null ? NaN : v]);
const shapeOf = (v) => (Array.isArray(v) ? [v.length, ...shapeOf(v[0])] : []);
const asDataShape = (v) => ({ data: Float32Array.from(flat(v)), shape: shapeOf(v) });

let passed = 0;
let failed = 0;
for (const backend of ['cpu', 'wasm']) {
  console.log(`backend: ${await useBackend(backend)}`);
  for (const c of wanted) {
    const items = c.items.map(asDataShape);
    const weights = c.weights?.map((w) => (typeof w === 'number' ? w : asDataShape(w)));
    const op = c.op === 'mean' ? reduceMean(c.options) : reduceAverage({ ...c.options, weights });
    const result = await lastValueFrom(from(items).pipe(op));
    const actual = Array.from(result.dataSync());
    result.dispose();
    const expected = c.expected[c.expected.length - 1].values;
    const ok = actual.length === expected.length && expected.every((e, i) => (e === null ? Number.isNaN(actual[i]) : Math.abs(actual[i] - e) <= ATOL + RTOL * Math.abs(e)));
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} [${backend}] ${c.name}${ok ? '' : `: ${actual} vs NumPy ${expected}`}`);
  }
}
console.log(`dist: ${passed} passed, ${failed} failed`);
process.exitCode = failed || !passed ? 1 : 0;
