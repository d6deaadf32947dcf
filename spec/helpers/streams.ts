import * as tf from '@tensorflow/tfjs-core';
import type { Observable } from 'rxjs';

/** What a spec keeps of an emitted tensor, read when it was emitted. */
export interface Snapshot {
  shape: number[];
  dtype: string;
  values: number[];
}

/** An emission: one tensor, or an object of tensors ({ average, variance }). */
export type Emitted = tf.Tensor | { [key: string]: tf.Tensor };
/** What a spec keeps of an emission. */
export type Emission = Snapshot | { [key: string]: Snapshot };

/** Reads a tensor asynchronously (webgpu has no reliable synchronous read). */
export async function snapshot(t: tf.Tensor): Promise<Snapshot> {
  return { shape: [...t.shape], dtype: t.dtype, values: Array.from(await t.data()) };
}

export async function snapshotAll(out: Emitted): Promise<Emission> {
  if (out instanceof tf.Tensor) return snapshot(out);
  const entries = await Promise.all(Object.entries(out).map(async ([k, t]) => [k, await snapshot(t)] as const));
  return Object.fromEntries(entries);
}

/** Clones of an emission's tensors (throws if one was already disposed). */
function cloneAll(out: Emitted): Emitted {
  return out instanceof tf.Tensor ? out.clone() : Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.clone()]));
}

function disposeAll(out: Emitted): void {
  (out instanceof tf.Tensor ? [out] : Object.values(out)).forEach((t) => t.dispose());
}

export interface Outcome<E = Snapshot> {
  emissions: E[];
  error: unknown;
  completed: boolean;
}

/**
 * Subscribes, keeps every emission when it arrives (a clone, unless the subscriber owns it),
 * waits for the end of the stream, reads what it kept asynchronously and disposes it, then
 * checks that `tf.memory().numTensors` is back where it was before the subscription.
 * `owns`: the emissions belong to the subscriber (reduceX, lastValue).
 */
export async function runStream(stream: Observable<tf.Tensor>, owns: boolean): Promise<Outcome>;
export async function runStream(stream: Observable<Emitted>, owns: boolean): Promise<Outcome<Emission>>;
export async function runStream(stream: Observable<Emitted>, owns: boolean): Promise<Outcome<Emission>> {
  const before = tf.memory().numTensors;
  const outcome: Outcome<Emission> = { emissions: [], error: undefined, completed: false };
  const kept: Emitted[] = [];
  await new Promise<void>((resolve) => {
    stream.subscribe({
      next: (t) => {
        try {
          kept.push(owns ? t : cloneAll(t)); // cloneAll throws if the tensor was already disposed
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
  for (const k of kept) {
    outcome.emissions.push(await snapshotAll(k));
    disposeAll(k);
  }
  expect(tf.memory().numTensors).withContext('tensors alive after the stream ended, compared with before it').toBe(before);
  return outcome;
}

/** Runs a stream expected to fail and returns its error (after the same leak check). */
export async function streamError(stream: Observable<Emitted>, owns = true): Promise<Error> {
  const { error, completed } = await runStream(stream, owns);
  expect(completed).withContext('the stream completed instead of failing').toBeFalse();
  expect(error).withContext('the stream did not fail').toBeInstanceOf(Error);
  return error as Error;
}
