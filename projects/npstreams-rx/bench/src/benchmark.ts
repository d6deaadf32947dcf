import * as tf from '@tensorflow/tfjs-core';
import { type OperatorFunction, lastValueFrom, map, range } from 'rxjs';
import { type ArrayInput, type BackendName, reduceMax, reduceMean, reduceSum, reduceVar, scanMean, useBackend, ɵbackendReady as backendReady } from 'npstreams-rx';
import { type BenchStat, type PreviewResult, frame, jsLoop, previewWorkload, tfjsAccumulator } from './workload';

/** Options of `benchmark`: the workload's size, the backends and statistics measured. */
export interface BenchmarkOptions {
  /** Frames per run (default 50). */
  frames?: number;
  /** Frames are side x side float32 (default 2048). */
  side?: number;
  /** Backends to measure (default: the active one). */
  backends?: BackendName[];
  /** Statistics to measure (default all four: sum, mean, max, var). */
  stats?: BenchStat[];
  /** Rounds, alternating the contenders; the medians are reported (default 3). */
  rounds?: number;
  /** Called with a line per measurement as it is made. */
  log?: (line: string) => void;
}

/** One contender on one statistic and backend: medians over the rounds. */
export interface BenchmarkRow {
  /** The backend measured. */
  backend: string;
  /** The statistic measured. */
  stat: BenchStat;
  /** 'library' (reduceX), 'tfjs' (a plain tfjs accumulator: one op per frame, Welford in tfjs
   * ops for var) or 'js' (a plain in-place Float32Array loop, float32, uncompensated). */
  contender: 'library' | 'tfjs' | 'js';
  /** Milliseconds per frame, net of generating the frame. */
  msPerFrame: number;
  /** msPerFrame over the plain JS loop's, measured in the same rounds. */
  vsJs: number;
}

/**
 * npstreams' benchmark, for this library, where it runs (Node or a browser): a stream of
 * `frames` float32 frames reduced by sum, mean, max and var, the library against a plain tfjs
 * accumulator and a plain JS loop on each backend, side by side and alternating, so the ratios
 * hold on a busy machine. Frames are the benchmark's (bench/contenders/frames.h): identical in
 * every contender. `npm run bench` runs the full comparison (C, NumPy, npstreams, memory).
 *
 * Each backend named is started with `useBackend` (a BackendError where it cannot start) and
 * stays the active one afterwards: the last one measured.
 *
 * @param options `frames` (default 50), `side` (default 2048), `backends` (default: the active
 *   one), `stats`, `rounds` (default 3), `log`.
 * @returns A promise of three rows per backend and statistic (library, tfjs, js: plain data).
 *
 * @example
 * ```ts
 * import { benchmark } from 'npstreams-rx/bench';
 *
 * const rows = await benchmark({ frames: 4, side: 64, backends: ['cpu'], stats: ['mean'], rounds: 1 });
 * console.log(rows.map((r) => r.contender)); // ['library', 'tfjs', 'js']
 * for (const r of rows) console.log(`${r.backend} ${r.stat} ${r.contender}: ${r.msPerFrame.toFixed(3)} ms/frame`);
 * ```
 */
export async function benchmark(options: BenchmarkOptions = {}): Promise<BenchmarkRow[]> {
  const { frames = 50, side = 2048, rounds = 3, stats = ['sum', 'mean', 'max', 'var'], log } = options;
  // default: the backend in use, started (the fastest available) where none is yet
  if (!options.backends) await backendReady();
  const backends = options.backends ?? [tf.getBackend() as BackendName];
  const rows: BenchmarkRow[] = [];
  for (const backend of backends) {
    await useBackend(backend);
    for (const stat of stats) {
      const times: Record<BenchmarkRow['contender'], number[]> = { library: [], tfjs: [], js: [] };
      // warm-up, untimed: shaders compiled, kernels and buffers in place
      for (const contender of ['library', 'tfjs', 'js'] as const) await runContender(contender, stat, 2, side);
      for (let r = 0; r < rounds; r++) {
        for (const contender of ['library', 'tfjs', 'js'] as const) {
          const ms = await runContender(contender, stat, frames, side);
          times[contender].push(ms);
          log?.(`${backend} ${stat} ${contender}: ${ms.toFixed(2)} ms/frame`);
        }
      }
      const js = median(times.js);
      for (const contender of ['library', 'tfjs', 'js'] as const) {
        const ms = median(times[contender]);
        rows.push({ backend, stat, contender, msPerFrame: ms, vsJs: ms / js });
      }
    }
  }
  return rows;
}

/** Options of `benchmarkPreview`: the workload's size and the preview's period. */
export interface PreviewOptions {
  /** Frames in the stream (default 200). */
  frames?: number;
  /** Frames are side x side float32 (default 1024). */
  side?: number;
  /** The preview's sampling period (default 100 ms). */
  sampleMs?: number;
}

/**
 * The live-preview workload: frames arriving one per macrotask (as from a camera or a loader),
 * `scanMean()` over every one, `sampleTime` previews that read the running mean back. Reports
 * how many frames per second the reduction keeps up with on the active backend.
 *
 * @param options `frames` (default 200), `side` (default 1024), `sampleMs` (default 100).
 * @returns A promise of the rates measured (plain data).
 *
 * @example
 * ```ts
 * import { benchmarkPreview } from 'npstreams-rx/bench';
 *
 * const { framesPerSecond, previews } = await benchmarkPreview({ frames: 20, side: 64, sampleMs: 10 });
 * console.log(`${framesPerSecond.toFixed(0)} frames/s, ${previews} previews`);
 * ```
 */
export async function benchmarkPreview(options: PreviewOptions = {}): Promise<PreviewResult> {
  const { frames = 200, side = 1024, sampleMs = 100 } = options;
  return previewWorkload(scanMean, frames, side, sampleMs);
}

const OPERATORS: Record<BenchStat, () => OperatorFunction<ArrayInput, tf.Tensor>> = { sum: reduceSum, mean: reduceMean, max: reduceMax, var: reduceVar };

async function runContender(contender: BenchmarkRow['contender'], stat: BenchStat, frames: number, side: number): Promise<number> {
  const n = side * side;
  let genMs = 0;
  const next = (k: number): Float32Array => {
    const t = performance.now();
    const x = frame(k, n);
    genMs += performance.now() - t;
    return x;
  };
  const t0 = performance.now();
  if (contender === 'library') {
    const out = await lastValueFrom(
      range(0, frames).pipe(
        map((k) => ({ data: next(k), shape: [side, side] })),
        OPERATORS[stat](),
      ),
    );
    await out.data();
    out.dispose();
  } else if (contender === 'tfjs') {
    await tfjsAccumulator(stat, frames, side, next);
  } else {
    jsLoop(stat, frames, n, next);
  }
  return (performance.now() - t0 - genMs) / frames;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1];
}
