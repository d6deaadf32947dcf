import { type Observable, concatMap, from, map, of } from 'rxjs';
import { backendIsReady, whenBackendReady } from '../backends/use-backend';

/**
 * Holds items back, in order, until a tfjs backend is ready (the one `useBackend` is starting,
 * or the fastest available when none was chosen), so operators used before a backend was
 * chosen wait instead of failing. Once ready, items pass through synchronously.
 */
export function untilBackendReady<T>(source: Observable<T>): Observable<T> {
  return source.pipe(concatMap((item) => (backendIsReady() ? of(item) : from(whenBackendReady()).pipe(map(() => item)))));
}
