// `npm run bench`: what the float32 compensation costs. For each backend in Node (cpu, wasm)
// it times, side by side and interleaved, reduceSum over a stream of 256x256 float32 frames
// (compensated) against a naive tf.add accumulator, and prints ms/frame and their ratio.
// Ratios, not absolute times, are the figures to compare: these machines are shared and noisy.
import { build } from 'esbuild';

await build({
  stdin: {
    contents: `
import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, range, map } from 'rxjs';
import { reduceSum, useBackend } from './projects/npstreams-rx/src/public-api';
const FRAMES = Number(process.env.FRAMES ?? 200), SIDE = 256, ROUNDS = 5;
const frames = Array.from({ length: 8 }, (_, k) => Float32Array.from({ length: SIDE * SIDE }, (_, i) => Math.sin(i + k)));
const stream = () => range(0, FRAMES).pipe(map((i) => ({ data: frames[i % 8], shape: [SIDE, SIDE] })));
async function naive() {
  let acc = null;
  await lastValueFrom(stream().pipe(map((f) => { const x = tf.tensor(f.data, f.shape); const next = acc ? tf.add(acc, x) : tf.clone(x); acc?.dispose(); x.dispose(); acc = next; })));
  await acc.data(); acc.dispose();
}
async function compensated() { const s = await lastValueFrom(stream().pipe(reduceSum())); await s.data(); s.dispose(); }
for (const backend of ['cpu', 'wasm']) {
  await useBackend(backend);
  const t = { naive: [], compensated: [] };
  for (let r = 0; r < ROUNDS; r++) for (const [name, fn] of [['naive', naive], ['compensated', compensated]]) {
    const t0 = performance.now(); await fn(); t[name].push((performance.now() - t0) / FRAMES);
  }
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
  console.log(\`\${backend}: naive \${med(t.naive).toFixed(3)} ms/frame, compensated reduceSum \${med(t.compensated).toFixed(3)} ms/frame, ratio \${(med(t.compensated) / med(t.naive)).toFixed(2)} (\${FRAMES} frames of \${SIDE}x\${SIDE}, median of \${ROUNDS})\`);
}
`,
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  packages: 'external',
  outfile: '.tmp/bench.mjs',
  logLevel: 'warning',
});
const warn = console.warn;
console.warn = (...a) => (String(a[0]).includes('tfjs-node') ? undefined : warn(...a));
await import(new URL('../.tmp/bench.mjs', import.meta.url).href);
