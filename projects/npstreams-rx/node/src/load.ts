/// <reference types="node" />
import { open } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Observable, type ObservableInput, concatMap, from, isObservable } from 'rxjs';
import { glob, isDynamicPattern } from 'tinyglobby';
import { FileFormatError, InflateError, type LoadOptions, type LoadedFrame, type ReadSource, loadWith, readBrowserSource, setInflate } from 'npstreams-rx';

// Node's zlib for the PNG and TIFF decoders (synchronous, about twice the Compression Streams
// API's speed), bounded by the size the file declares
setInflate((data, size) => {
  try {
    return inflateSync(data, { maxOutputLength: Math.max(1, size) });
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new InflateError(code === 'ERR_BUFFER_TOO_LARGE' ? `the compressed data inflates beyond the ${size} bytes declared` : `corrupt compressed data (${(err as Error).message})`);
  }
});

/**
 * A file's bytes, read with one call into memory of their size (not zero-filled first, no copy
 * after): the decoders then view them in place (a float32 .npy, an uncompressed TIFF). A pipe or
 * a device is read to its end.
 */
export async function readBytes(path: string, signal?: AbortSignal): Promise<Uint8Array> {
  signal?.throwIfAborted();
  const handle = await open(path, 'r');
  try {
    const stats = await handle.stat();
    // a pipe or a device has no size to read at once
    if (!stats.isFile()) return new Uint8Array(await handle.readFile({ signal }));
    const { size } = stats;
    const buf = Buffer.allocUnsafeSlow(size);
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

/** A source in Node: a path, a glob (expanded here, sorted), an http(s) or file URL, or a Blob. */
export type NodeSource = string | URL | Blob;

/**
 * A glob as a sorted list of paths (a plain path as itself). A glob that matches nothing is an
 * error naming it: a typo never reduces an empty stream.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  if (/^https?:\/\//i.test(pattern) || !isDynamicPattern(pattern)) return [pattern];
  // an absolute glob gives absolute paths, a relative one paths relative to the working directory
  const paths = (await glob(pattern, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(pattern) })).sort();
  if (paths.length === 0) throw new FileFormatError(pattern, 'no file matches this glob');
  return paths;
}

/** Reads a path (or a file: URL) from disk; http(s) URLs and Blobs as in the browser. */
export const readNodeSource: ReadSource<NodeSource> = async (source, signal) => {
  if (typeof source === 'string' && !/^https?:\/\//i.test(source)) {
    return { bytes: await readBytes(source, signal), name: source };
  }
  if (source instanceof URL && source.protocol === 'file:') {
    const path = fileURLToPath(source);
    return { bytes: await readBytes(path, signal), name: path };
  }
  return readBrowserSource(source, signal);
};

/**
 * npstreams' `iload`/`pload` in Node: the frames of files given as paths, globs (quoted globs
 * work: they are expanded here, each sorted), URLs or Blobs, decoded as .npy, PNG, TIFF (one
 * frame per page) or JPEG, `concurrency` files at once. Frames come in the order of the list
 * (then of each glob's sorted matches) unless `ordered: false`. A file that cannot be read or
 * decoded errors with a FileFormatError naming it; `skipBad` reports it to `onSkip` and goes on.
 */
export function load(sources: NodeSource | Iterable<NodeSource> | ObservableInput<NodeSource>, options: LoadOptions = {}): Observable<LoadedFrame> {
  const single = typeof sources === 'string' || sources instanceof URL || sources instanceof Blob;
  const list = single ? from([sources as NodeSource]) : isObservable(sources) ? sources : from(sources as Iterable<NodeSource>);
  const expanded = list.pipe(concatMap((s) => (typeof s === 'string' ? from(expandGlob(s)).pipe(concatMap((paths) => from(paths))) : from([s]))));
  return loadWith('load', expanded, readNodeSource, options);
}
