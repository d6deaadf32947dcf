/// <reference types="node" />
// Globs as the library expands them: light (tinyglobby; the library's entry only for the error),
// for the command's first steps.
import { isAbsolute } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';

/**
 * A glob as a sorted list of paths (a plain path as itself). A glob that matches nothing is an
 * error naming it: a typo never reduces an empty stream.
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
