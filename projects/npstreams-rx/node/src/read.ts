/// <reference types="node" />
// Reading files and inflating zlib data with Node's own machinery. Free of the library's entry (and
// so of tfjs): the decoding worker threads (decode-worker.ts) use it as the main thread does.
import { open } from 'node:fs/promises';
import { createInflate, inflateSync } from 'node:zlib';
import type { Alloc } from 'npstreams-rx';

/**
 * A file's bytes, read into memory of their size (not zero-filled first, no copy after): the
 * decoders then view them in place (a float32 .npy, an uncompressed TIFF). `alloc` gives the
 * memory (load's reuse). A pipe or a device is read to its end. A file that shrinks while it is
 * read gives the bytes read.
 *
 * @param path The file's path.
 * @param signal Aborts the read: checked before and after it (a pipe's read stops at once); the
 *   promise then rejects with the signal's reason.
 * @param alloc Gives the memory for a file of `bytes` bytes (at least that long; not used for a
 *   pipe or a device); default: new memory, not zero-filled.
 * @returns A promise of the bytes, the caller's (a view of the memory `alloc` gave, where given).
 *   It rejects with Node's error (ENOENT, EACCES...) when the file cannot be opened or read.
 *
 * @example
 * ```ts
 * import { mkdtemp, writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { readBytes } from 'npstreams-rx/node';
 *
 * const path = join(await mkdtemp(join(tmpdir(), 'bytes-')), 'data.bin');
 * await writeFile(path, new Uint8Array([1, 2, 3]));
 * const bytes = await readBytes(path);
 * console.log(bytes); // Uint8Array(3) [ 1, 2, 3 ]
 * ```
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
 * `fail(reason)` makes the error thrown. The output goes into memory from `alloc` where it is given
 * (see inflateInto), else into one new buffer of size + 1 bytes (zlib's default, 16 KiB chunks
 * joined at the end, makes twice the garbage and a copy). */
export function zlibInflate(data: Uint8Array, size: number, fail: (reason: string) => Error, alloc?: Alloc): Uint8Array {
  const options = { maxOutputLength: Math.max(1, size), chunkSize: Math.max(64, size + 1) };
  try {
    const into = alloc && inflateInto(data, alloc(options.chunkSize), options.maxOutputLength);
    if (into) return into;
    const out = inflateSync(data, options);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw fail(code === 'ERR_BUFFER_TOO_LARGE' ? `the compressed data inflates beyond the ${size} bytes declared` : `corrupt compressed data (${(err as Error).message})`);
  }
}

/** What inflateInto uses of a zlib engine: its synchronous step and its one output buffer. */
interface ZlibEngine {
  _processChunk?: (chunk: Uint8Array, flush: number) => Buffer;
  _outBuffer?: unknown;
  _chunkSize?: number;
  _finishFlushFlag?: number;
  close(): void;
}

/**
 * `data` inflated into `into` (at most `max` bytes; `into` holds one more, so the output never
 * fills it): what inflateSync does, on the same engine, with the engine's output buffer set to
 * `into` (its step `_processChunk`, kept by Node for backwards compatibility, writes a run that
 * fits in one buffer there). So a decoding thread inflates frame after frame into the same memory
 * instead of leaving a frame's worth of garbage per file, which V8 collects only after tens of MB.
 * null where this Node's engine is not as expected (the caller inflates the ordinary way).
 */
function inflateInto(data: Uint8Array, into: Uint8Array, max: number): Uint8Array | null {
  const engine = createInflate({ chunkSize: 64, maxOutputLength: max }) as unknown as ZlibEngine;
  if (typeof engine._processChunk !== 'function' || !Buffer.isBuffer(engine._outBuffer) || engine._chunkSize !== 64 || typeof engine._finishFlushFlag !== 'number') {
    engine.close();
    return null;
  }
  engine._outBuffer = Buffer.from(into.buffer, into.byteOffset, into.byteLength);
  engine._chunkSize = into.byteLength;
  const out = engine._processChunk(data, engine._finishFlushFlag);
  if (out.length === 0 || (out.buffer === into.buffer && out.byteOffset === into.byteOffset)) return into.subarray(0, out.length);
  into.set(out.subarray(0, into.length));
  return into.subarray(0, Math.min(out.length, into.length));
}
