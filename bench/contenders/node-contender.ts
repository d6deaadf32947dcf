// The Node contenders of the benchmark (bench/run.mjs), one process per run:
//   node node-contender.mjs CONTENDER STAT FRAMES SIDE OUT.f32 [BACKEND]
// CONTENDER: js-naive | js-compensated (plain JS in-place loops), tfjs (a plain tfjs
// accumulator: tf.add / tf.maximum / tf-op Welford), lib (this library's reduceX; STAT
// `preview`: the live-preview workload, printing frames/s).
// `npstreams-rx-under-test` is aliased by bench/run.mjs to this checkout's source, or to an
// earlier commit's for the `lib-before` contender. Prints one JSON line
// {"genMs","netMs","rssKB"}; writes the result as raw float32.
import { readFileSync, writeFileSync } from 'node:fs';
import { lastValueFrom, map, range } from 'rxjs';
import * as lib from 'npstreams-rx-under-test';
// the frames and the plain contenders are the benchmark's own, whatever library is under test
import { frame, jsLoop, previewWorkload, tfjsAccumulator } from '../../projects/npstreams-rx/bench/src/workload';

const [contender, stat, framesArg, sideArg, out, backend = 'wasm'] = process.argv.slice(2);
const FRAMES = Number(framesArg);
const SIDE = Number(sideArg);
const N = SIDE * SIDE;

/** Peak RSS (VmHWM; resourceUsage().maxRSS can report the forking parent's). */
function peakRssKB(): number {
  try {
    const m = /VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
let genMs = 0;
function timedFrame(k: number): Float32Array {
  const t0 = performance.now();
  const x = frame(k, N);
  genMs += performance.now() - t0;
  return x;
}

/** This library: reduceX over a stream of { data, shape } frames. */
async function library(): Promise<Float32Array> {
  const op = { sum: lib.reduceSum, mean: lib.reduceMean, max: lib.reduceMax, var: lib.reduceVar }[stat as 'sum']!;
  const frames$ = range(0, FRAMES).pipe(map((k) => ({ data: timedFrame(k), shape: [SIDE, SIDE] })));
  const result = await lastValueFrom(frames$.pipe(op()));
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

const warn = console.warn;
console.warn = (...a: unknown[]) => (String(a[0]).includes('tfjs-node') ? undefined : warn(...a));
if (contender === 'tfjs' || contender === 'lib') await lib.useBackend(backend as 'wasm');
// warm-up outside the timing: backend start, kernels compiled, the first allocation
if (contender === 'lib')
  await lastValueFrom(
    range(0, 2).pipe(
      map(() => [[1, 2]]),
      lib.reduceSum(),
    ),
  ).then((t) => t.dispose());
if (stat === 'preview') {
  // the live-preview workload: FRAMES frames of SIDE x SIDE, scanMean + sampleTime(100) reads
  const r = await previewWorkload(lib.scanMean, FRAMES, SIDE, 100);
  console.log(JSON.stringify({ ...r, rssKB: peakRssKB() }));
  process.exit(0);
}
const t0 = performance.now();
const stat4 = stat as 'sum';
const values =
  contender === 'js-naive' || contender === 'js-compensated'
    ? jsLoop(stat4, FRAMES, N, timedFrame, contender === 'js-compensated')
    : contender === 'tfjs'
      ? await tfjsAccumulator(stat4, FRAMES, SIDE, timedFrame)
      : await library();
const total = performance.now() - t0;
writeFileSync(out, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
console.log(JSON.stringify({ genMs: genMs, netMs: total - genMs, rssKB: peakRssKB() }));
