/** The ArrayBuffers of a value (typed arrays, nested in arrays and plain objects), once each:
 * what a transfer list moves to or from a worker without a copy. */
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
