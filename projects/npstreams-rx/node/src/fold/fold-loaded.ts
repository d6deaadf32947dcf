// The command's mean of frames that load reads (HDF5 datasets, on this thread or decoded on
// load's threads), folded on this thread as they come by the slab folds' sum (SlabSum, the fused
// kernel in a wasm memory of its own): the operator's numbers, bit for bit, without tfjs (no
// backend started, no tensors: its 32 MiB state for a 2048x2048 frame instead of the operator's
// wasm heap).
import { type Observable, lastValueFrom, tap } from 'rxjs';
import type { LoadedFrame } from 'npstreams-rx';
import { sameShape, wrongShape } from './slab-protocol';

/** What a fold of loaded frames gives: the mean's values, the frames folded, the first frame's
 * shape and dtype. */
export interface LoadedFold {
  values: Float32Array;
  frames: number;
  shape: number[];
  dtype: LoadedFrame['dtype'];
}

/**
 * Folds `frames` into their mean, in order, each as it comes (load's reuse: a frame's memory
 * goes back once the next file's frames come, and it is folded before). Errors as the operator's
 * (`operator` names it): a frame of another shape is a StreamInputError naming the item; no frame,
 * an EmptyStreamError.
 */
export async function foldLoaded(frames: Observable<LoadedFrame>, operator: string): Promise<LoadedFold> {
  const { ɵSlabSum: SlabSum, StreamInputError, EmptyStreamError } = await import('npstreams-rx');
  let sum: InstanceType<typeof SlabSum> | null = null;
  let first: LoadedFrame | null = null;
  let count = 0;
  await lastValueFrom(
    frames.pipe(
      tap((frame) => {
        if (!first) {
          first = frame;
          const n = frame.shape.reduce((a, b) => a * b, 1);
          sum = new SlabSum(n, 0, n, 1 << 18);
        } else if (!sameShape(frame.shape, first.shape)) {
          const { message, index } = wrongShape(operator, frame.shape, first.shape, frame.file, count);
          throw new StreamInputError(message, index);
        }
        const { data } = frame;
        sum!.add((g, c, staging) => staging.set(data.subarray(g, g + c)));
        count++;
      }),
    ),
    { defaultValue: null },
  );
  if (!first || !sum) throw new EmptyStreamError(operator);
  const { shape, dtype } = first as LoadedFrame;
  return { values: (sum as InstanceType<typeof SlabSum>).value(count), frames: count, shape: [...shape], dtype };
}
