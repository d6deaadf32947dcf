import * as tf from '@tensorflow/tfjs-core';
import type { Observable } from 'rxjs';

/** What a spec keeps of an emitted tensor, read when it was emitted. */
export interface Snapshot {
  shape: number[];
  dtype: string;
  values: number[];
}

export function snapshot(t: tf.Tensor): Snapshot {
  return { shape: [...t.shape], dtype: t.dtype, values: Array.from(t.dataSync()) };
}

export interface Outcome {
  emissions: Snapshot[];
  error: unknown;
  completed: boolean;
}

/**
 * Subscribes, reads every emission when it arrives, waits for the end of the stream, then
 * checks that `tf.memory().numTensors` is back where it was before the subscription.
 * `owns`: the emissions belong to the subscriber (reduceX, lastValue) and are disposed here.
 */
export async function runStream(stream: Observable<tf.Tensor>, owns: boolean): Promise<Outcome> {
  const before = tf.memory().numTensors;
  const outcome: Outcome = { emissions: [], error: undefined, completed: false };
  await new Promise<void>((resolve) => {
    stream.subscribe({
      next: (t) => {
        try {
          outcome.emissions.push(snapshot(t)); // throws if the tensor was already disposed
          if (owns) t.dispose();
        } catch (err) {
          outcome.error ??= err;
        }
      },
      error: (err) => {
        outcome.error = err;
        resolve();
      },
      complete: () => {
        outcome.completed = true;
        resolve();
      },
    });
  });
  expect(tf.memory().numTensors).withContext('tensors alive after the stream ended, compared with before it').toBe(before);
  return outcome;
}

/** Runs a stream expected to fail and returns its error (after the same leak check). */
export async function streamError(stream: Observable<tf.Tensor>, owns = true): Promise<Error> {
  const { error, completed } = await runStream(stream, owns);
  expect(completed).withContext('the stream completed instead of failing').toBeFalse();
  expect(error).withContext('the stream did not fail').toBeInstanceOf(Error);
  return error as Error;
}
