/// <reference types="node" />
// Reading files and inflating zlib data with Node's own machinery. Free of the library's entry (and
// so of tfjs): the decoding worker threads (decode-worker.ts) use it as the main thread does.
import { open } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';

/**
 * A file's bytes, read with one call into memory of their size (not zero-filled first, no copy
 * after): the decoders then view them in place (a float32 .npy, an uncompressed TIFF). `alloc`
 * gives the memory (load's reuse). A pipe or a device is read to its end.
 */
export async function readBytes(path: string, signal?: AbortSignal, alloc?: (bytes: number) => Uint8Array): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat();
    // a pipe or a device has no size to read at once
    if (!stats.isFile()) return new Uint8Array(await handle.readFile({ signal }));
    const { size } = stats;
    const buf = alloc ? alloc(size) : Buffer.allocUnsafeSlow(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(buf, at, size - at, at);
      if (bytesRead === 0) break; // the file shrank while read
      at += bytesRead;
    }
    signal?.throwIfAborted();
    return new Uint8Array(buf.buffer, buf.byteOffset, at);
  } finally {
    await handle.close();
  }
}

/** zlib data inflated by Node's zlib, at most `size` bytes (the decoders' inflate: see setInflate);
 * `fail(reason)` makes the error thrown. */
export function zlibInflate(data: Uint8Array, size: number, fail: (reason: string) => Error): Uint8Array {
  try {
    const out = inflateSync(data, { maxOutputLength: Math.max(1, size) });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw fail(code === 'ERR_BUFFER_TOO_LARGE' ? `the compressed data inflates beyond the ${size} bytes declared` : `corrupt compressed data (${(err as Error).message})`);
  }
}
