/**
 * The ArrayBuffers of a value (typed arrays, nested in arrays and plain objects), once each:
 * what a transfer list moves to or from a worker without a copy. Detached (empty) buffers and
 * SharedArrayBuffers are left out; objects of other classes are not looked into.
 *
 * @param value The value to search; read only.
 * @param found The set the buffers are collected in (for recursion; leave it out).
 * @returns A new array of the buffers. Transferring them detaches them here: the value's typed
 *   arrays are then empty.
 *
 * @example
 * ```ts
 * import { buffersOf } from 'npstreams-rx/worker';
 *
 * const frame = { data: new Float32Array(4), shape: [2, 2] };
 * const buffers = buffersOf([frame, new Uint8Array(8), frame.data.subarray(2)]);
 * console.log(buffers.map((b) => b.byteLength)); // [16, 8]
 * // worker.postMessage(frame, buffersOf(frame)): moved, not copied
 * ```
 */
export function buffersOf(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && value.buffer.byteLength > 0) found.add(value.buffer);
  } else if (value instanceof ArrayBuffer) {
    if (value.byteLength > 0) found.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) buffersOf(v, found);
  } else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) buffersOf(v, found);
  }
  return [...found];
}
