/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Observable, type ObservableInput, concatMap, from, isObservable } from 'rxjs';
import { glob, isDynamicPattern } from 'tinyglobby';
import { FileFormatError, type LoadOptions, type LoadedFrame, type ReadSource, loadWith, readBrowserSource } from 'npstreams-rx';

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
    return { bytes: new Uint8Array(await readFile(source, { signal })), name: source };
  }
  if (source instanceof URL && source.protocol === 'file:') {
    const path = fileURLToPath(source);
    return { bytes: new Uint8Array(await readFile(path, { signal })), name: path };
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
