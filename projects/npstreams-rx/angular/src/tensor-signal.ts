import { DestroyRef, type Injector, type Signal, assertInInjectionContext, computed, inject, signal } from '@angular/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { Observable } from 'rxjs';

/** Options of toTensorSignal. */
export interface TensorSignalOptions {
  /** Where to run outside an injection context (its DestroyRef ends the subscription). */
  injector?: Injector;
}

/**
 * The latest tensor of an Observable as a signal, for templates and `computed()`: each emission
 * is cloned (a `scanX` emission stays valid only until the operator's next one; the clone lives on)
 * and kept until the next emission replaces it, then disposed; on destroy the subscription ends
 * and the last clone is disposed, so `tf.memory().numTensors` is back where it was. null until the
 * first emission. An error of the Observable is thrown where the signal is read, as toSignal does.
 * The Observable's own tensors are never disposed.
 *
 * Call it in an injection context (a component's constructor or field), or pass an `injector`.
 *
 * @param source The tensors, e.g. `frames$.pipe(scanMean(), previewEvery())`.
 * @param options `injector`, outside an injection context.
 * @returns A read-only signal of the latest emission's clone (valid until the next emission or
 *   destroy: clone it again to keep it longer), or null.
 *
 * @example
 * ```ts
 * import { Component, computed } from '@angular/core';
 * import { interval, map, take } from 'rxjs';
 * import { previewEvery, scanMean } from 'npstreams-rx';
 * import { toTensorSignal } from 'npstreams-rx/angular';
 *
 * // 100 frames of 64 x 64 noise, one every 50 ms
 * const frames$ = interval(50).pipe(
 *   take(100),
 *   map(() => ({ data: Float32Array.from({ length: 64 * 64 }, Math.random), shape: [64, 64] })),
 * );
 *
 * \@Component({ selector: 'app-shape', template: `mean so far: {{ shape() }}` })
 * export class Shape {
 *   readonly mean = toTensorSignal(frames$.pipe(scanMean(), previewEvery()));
 *   readonly shape = computed(() => this.mean()?.shape.join(' x ') ?? 'no frames yet');
 * }
 * ```
 */
export function toTensorSignal<T extends tf.Tensor>(source: Observable<T>, options: TensorSignalOptions = {}): Signal<T | null> {
  if (!options.injector) assertInInjectionContext(toTensorSignal);
  const destroyRef = options.injector ? options.injector.get(DestroyRef) : inject(DestroyRef);
  const state = signal<{ value: T | null } | { error: unknown }>({ value: null });
  let held: T | null = null;
  const hold = (next: T | null): void => {
    const previous = held;
    held = next;
    state.set({ value: next });
    previous?.dispose();
  };
  const subscription = source.subscribe({
    next: (t) => hold(t.clone() as T),
    error: (error: unknown) => state.set({ error }),
  });
  destroyRef.onDestroy(() => {
    subscription.unsubscribe();
    hold(null);
  });
  return computed(() => {
    const s = state();
    if ('error' in s) throw s.error;
    return s.value;
  });
}
