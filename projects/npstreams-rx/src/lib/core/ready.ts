import * as tf from '@tensorflow/tfjs-core';
import { type Observable, concatMap, from, map, of } from 'rxjs';

/** How the operators learn that a tfjs backend is ready, and wait for one. */
export interface Readiness {
  /** Whether a backend is set up and none is being started. */
  isReady(): boolean;
  /** Resolves once one is. */
  whenReady(): Promise<void>;
}

/** Whether tfjs's engine has a backend set up and is not starting one. */
export function engineIsReady(): boolean {
  const engine = tf.engine() as unknown as { backendInstance: unknown; pendingBackendInit: unknown };
  return engine.backendInstance != null && engine.pendingBackendInit == null;
}

/** tfjs's own: tf.ready() starts the registered backend of highest priority. */
let readiness: Readiness = { isReady: engineIsReady, whenReady: () => tf.ready() };

/** Sets how the operators wait for a backend: backends/use-backend.ts sets its own (the backend
 * being chosen, else the fastest available), the core knowing nothing of backends. */
export function setReadiness(r: Readiness): void {
  readiness = r;
}

/** Resolves once a backend is ready (see setReadiness), at once when one is: what code outside
 * the operators awaits before it makes tensors. */
export async function backendReady(): Promise<void> {
  if (!readiness.isReady()) await readiness.whenReady();
}

/**
 * Holds items back, in order, until a tfjs backend is ready (see setReadiness), so operators used
 * before a backend was chosen wait instead of failing. Once ready, items pass through synchronously.
 */
export function untilBackendReady<T>(source: Observable<T>): Observable<T> {
  return source.pipe(concatMap((item) => (readiness.isReady() ? of(item) : from(readiness.whenReady()).pipe(map(() => item)))));
}
