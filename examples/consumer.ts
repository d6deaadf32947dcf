// A fresh TypeScript consumer of the installed package, type-checked by scripts/test-dist.mjs
// under moduleResolution bundler and node16 (strict, skipLibCheck: tfjs-core's own typings
// name types it does not install, `Long`, and DOM's IndexedDB and Storage).
import type * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom } from 'rxjs';
import { type PartialResult, disposePartial, mergePartials, partialValue, partials, reduceMean, scanMean, useBackend } from 'npstreams-rx';
import { load, parallelReduce, runCli, save } from 'npstreams-rx/node';

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
  console.log(mean.shape, preview, parallel);
  return runCli(['--help']);
}
