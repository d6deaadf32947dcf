import * as tf from '@tensorflow/tfjs-core';
import type { Subscriber } from 'rxjs';
import { traitsOf } from './backend-traits';
import { tensorsIn } from './tensors';

type Link = { closed?: boolean; add?: (f: () => void) => void; destination?: Link | null };

/**
 * When a `scanX` emission may be released after the operator is torn down.
 *
 * A `scanX` emission stays valid until the operator's next emission or its teardown. When the
 * source completes, rxjs tears the operator down at once, yet operators downstream may still
 * hand the last value on later: `auditTime` and a trailing `throttleTime` after their window,
 * `combineLatest` whenever another of its sources emits. So the final emission is released when
 * the first subscriber down the chain that is still open closes (completes, errors or is
 * unsubscribed), and at once when every one has closed (the usual case, and always on error or
 * unsubscribe).
 *
 * rxjs 7 has no public way to learn when the subscribers downstream of an operator are done:
 * a subscriber knows its downstream only through its (protected) `destination` field. This reads
 * that chain once, when the operator is subscribed and every link is open, not at teardown: rxjs
 * nulls `destination` when a subscriber closes, which with a synchronous source (`from(frames)`)
 * has happened before the teardown runs. Where the field is missing (another rxjs), the chain is
 * empty and the emission is released at teardown; spec/ownership.spec.ts pins the behaviour, so
 * an rxjs release that changes it fails there, not in a user's preview.
 */
export function downstreamOf(subscriber: Subscriber<unknown>): Link[] {
  const chain: Link[] = [];
  const seen = new Set<Link>();
  for (let link = (subscriber as unknown as Link).destination; link && !seen.has(link); link = link.destination) {
    seen.add(link);
    if (typeof link.add === 'function' && typeof link.closed === 'boolean') chain.push(link);
  }
  return chain;
}

/** Runs `release` when the first still-open subscriber of `chain` closes, or now if none is open. */
export function releaseWhenClosed(chain: Link[], release: () => void): void {
  const open = chain.find((link) => link.closed === false);
  if (open) open.add!(release);
  else release();
}

/**
 * Reads pending on a tensor, for backends that free a tensor's buffer while a read of it is
 * still on its way (tfjs's webgl backend waits for a pending `data()` before it frees; its
 * webgpu backend does not, and the read then fails). On such a backend an emission's `data()`
 * (and `array()`, which calls it) counts its pending reads, and `disposeAfterReads` waits for
 * them: a read started in `next` survives the next item. backends/traits.ts says which backends
 * do (`disposeOutrunsReads`).
 */
const pendingReads = new WeakMap<tf.Tensor, { count: number; disposeWhenDone: boolean }>();

/** Counts the reads of the tensors of an emission, on backends that need it (disposeOutrunsReads). */
export function trackReads(emission: unknown): void {
  if (!traitsOf(tf.getBackend()).disposeOutrunsReads) return;
  for (const t of tensorsIn(emission)) {
    const state = { count: 0, disposeWhenDone: false };
    pendingReads.set(t, state);
    const read = t.data.bind(t);
    const counted = () => {
      state.count++;
      return read().finally(() => {
        state.count--;
        if (state.count === 0 && state.disposeWhenDone && !t.isDisposed) t.dispose();
      });
    };
    (t as { data: unknown }).data = counted;
  }
}

/** Disposes the tensors of an emission, each once its pending reads (see trackReads) are done. */
export function disposeAfterReads(emission: unknown): void {
  for (const t of tensorsIn(emission)) {
    const state = pendingReads.get(t);
    if (state && state.count > 0) state.disposeWhenDone = true;
    else if (!t.isDisposed) t.dispose();
  }
}

/**
 * The emissions of an operator whose values stay valid until its next emission or its teardown
 * (scanX, nanToNum): `emit` hands a value downstream, releasing the previous one first;
 * `teardown` releases the last one once downstream is done with it (see downstreamOf).
 */
export function emissionLease<O>(subscriber: Subscriber<O>): { emit(out: O): void; teardown(): void } {
  const downstream = downstreamOf(subscriber as Subscriber<unknown>);
  let emitted: O | null = null;
  const release = (): void => {
    disposeAfterReads(emitted);
    emitted = null;
  };
  return {
    emit(out) {
      release();
      emitted = out;
      trackReads(out);
      subscriber.next(out);
    },
    teardown: () => releaseWhenClosed(downstream, release),
  };
}
