/// <reference types="node" />
// The command's fold (foldFiles) started before the rest of it loads: globs, threads and the
// progress bar need no tfjs, so the threads fold while this thread loads the library.
import type { FileFormatError } from 'npstreams-rx';
import { expandGlob } from '../glob';
import { type FoldValues, foldFileValues } from '../fold/fold-values';
import { type Output, Progress } from './progress';
import type { CliOptions } from './statistics';

/** A fold under way for the command: its files, its progress bar and what it gives (null: not a
 * fold after all, an integer sum; reduce-files.ts goes through load instead). */
export interface CliFold {
  paths: string[];
  progress: Progress;
  skipped: string[];
  folded: Promise<FoldValues | null>;
}

/**
 * Expands the globs and starts the fold: threads that probe the first file and fold. Without
 * --workers, one thread reads, decodes and folds every file (the speed of load and the operator,
 * in less memory); with --workers N, N threads fold their parts of every frame when the first file
 * is raw (a float32 or 8/16-bit .npy, an uncompressed TIFF), else they decode the files and one
 * thread more folds the frames. A sum of integer frames is not a fold (the operator's exact int32
 * sum). null where a glob fails (reduce-files.ts says why).
 */
export async function startFold(statistic: 'mean' | 'sum', fileArgs: string[], o: CliOptions, output: Output): Promise<CliFold | null> {
  const paths: string[] = [];
  try {
    for (const arg of fileArgs) paths.push(...(await expandGlob(arg)));
  } catch {
    return null;
  }
  if (paths.length === 0) return null;
  const progress = new Progress(output, paths.length, o.quiet);
  const skipped: string[] = [];
  let frames = 0;
  const folded = foldFileValues(paths, {
    statistic,
    workers: Math.max(1, o.workers),
    skipBad: o.skipBad,
    maxPixels: o.maxPixels,
    onSkip: (e: FileFormatError) => {
      skipped.push(e.file);
      progress.note(`skipped ${e.message}`);
    },
    onProgress: (files, n) => progress.update(files, (frames = n >= 0 ? n : frames)),
  }).then(
    // a sum of integer frames is the operator's (an exact int32 sum): not a fold
    (r) => r,
    (err: unknown) => {
      if (err instanceof Error && err.name === 'OptionError') return null;
      throw err;
    },
  );
  // the fold's error, if any, is taken by reduce-files.ts: not an unhandled rejection meanwhile
  folded.catch(() => undefined);
  return { paths, progress, skipped, folded };
}
