/// <reference types="node" />
// Globs as the library expands them: light (tinyglobby; the library's entry only for the error),
// for the command's first steps.
import { isAbsolute } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { splitHdf5Source } from './hdf5-source';

/**
 * The paths a glob matches, sorted: how `load`, `reduceFilesPartial` and the command expand their
 * sources. A plain path (no glob characters) or an http(s) URL comes back as itself, unchecked.
 *
 * Only files match (not folders). An absolute glob gives absolute paths, a relative one paths
 * relative to the working directory. A glob that matches nothing is an error naming it, so that a
 * typo never reduces an empty stream.
 *
 * @param pattern A glob (`data/*.tif`, `data/run-?/*.npy`), a path or an http(s) URL.
 * @returns A promise of the sorted paths; it rejects with a FileFormatError naming the glob when
 *   nothing matches.
 *
 * @example
 * ```ts
 * import { mkdtemp, writeFile } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { basename, join } from 'node:path';
 * import { expandGlob } from 'npstreams-rx/node';
 *
 * const dir = await mkdtemp(join(tmpdir(), 'glob-'));
 * for (const name of ['b.npy', 'a.npy', 'notes.txt']) await writeFile(join(dir, name), '');
 *
 * const paths = await expandGlob(join(dir, '*.npy'));
 * console.log(paths.map((p) => basename(p))); // ['a.npy', 'b.npy']
 * console.log(await expandGlob('plain/path.npy')); // ['plain/path.npy']
 * ```
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  if (/^https?:\/\//i.test(pattern) || !isDynamicPattern(pattern)) return [pattern];
  // an absolute glob gives absolute paths, a relative one paths relative to the working directory
  const paths = (await glob(pattern, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(pattern) })).sort();
  if (paths.length === 0) {
    const { FileFormatError } = await import('npstreams-rx');
    throw new FileFormatError(pattern, 'no file matches this glob');
  }
  return paths;
}

/** expandGlob of a source that may name an HDF5 dataset (`scan_*.h5::/entry/data/data`): the
 * file part expanded, the dataset kept on each path (load and the command expand their sources
 * so). */
export async function expandSource(source: string): Promise<string[]> {
  const { path, dataset } = splitHdf5Source(source);
  const paths = await expandGlob(path);
  return dataset ? paths.map((p) => `${p}::${dataset}`) : paths;
}
