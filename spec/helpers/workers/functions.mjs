// Functions the worker pool specs run in threads (plain ESM, loaded by workerPool).
import { isMainThread, threadId } from 'node:worker_threads';

/** Where this runs: the thread's id and whether it is the main thread. */
export function whereAmI() {
  return { threadId, isMainThread };
}

/** A frame scaled by k, in a new buffer (moved back to the caller), after `busyMs` of CPU work. */
export function scale(frame, k = 2, busyMs = 0) {
  const until = Date.now() + busyMs;
  while (Date.now() < until);
  const data = new Float32Array(frame.data.length);
  for (let i = 0; i < data.length; i++) data[i] = frame.data[i] * k;
  return { data, shape: frame.shape, dtype: 'float32', byteLengthSeen: frame.data.byteLength };
}

/** Throws, with a message naming the input. */
export function fail(frame) {
  throw new Error(`cannot denoise a frame of ${frame.data.length} values`);
}

/** Returns after `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(ms), ms));
}
