// A fresh TypeScript consumer of the installed package, type-checked by scripts/test-dist.mjs
// under moduleResolution bundler and node16 (strict, skipLibCheck: tfjs-core's own typings
// name types it does not install, `Long`, and DOM's IndexedDB and Storage).
import type * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom } from 'rxjs';
import { type PartialResult, disposePartial, mergePartials, partialValue, partials, pmap, reduceMean, scanMean, useBackend } from 'npstreams-rx';
import { load, parallelReduce, runCli, save, workerPool } from 'npstreams-rx/node';

/** A worker module's type, as `typeof import('./denoise.js')` gives it. */
type Denoise = { denoise: (frame: { data: Float32Array; shape: number[] }, index: number) => { data: Float32Array; shape: number[] } };

export async function main(): Promise<number> {
  await useBackend('cpu');
  const mean: tf.Tensor = await lastValueFrom(
    from([
      [1, 2],
      [3, 4],
    ]).pipe(reduceMean()),
  );
  const a: PartialResult = await lastValueFrom(from([[1, 2]]).pipe(partials.var()));
  const b: PartialResult = await lastValueFrom(from([[3, 4]]).pipe(partials.var()));
  const merged = mergePartials(a, b);
  const variance = partialValue(merged) as tf.Tensor;
  [a, b, merged].forEach(disposePartial);
  await save(variance, 'variance.npy');
  const preview = load('frames/*.png').pipe(scanMean());
  const parallel = load('frames/*.npy').pipe(parallelReduce(partials.var({ ddof: 1 }), { workers: 2 }));
  // a typed pool: pmap(pool.fn('denoise')) emits what denoise returns
  const pool = workerPool<Denoise>(new URL('./denoise.js', import.meta.url), { size: 2 });
  const clean: Promise<{ data: Float32Array; shape: number[] }> = lastValueFrom(from([{ data: new Float32Array(4), shape: [4] }]).pipe(pmap(pool.fn('denoise'))));
  console.log(mean.shape, preview, parallel, clean);
  return runCli(['--help']);
}
