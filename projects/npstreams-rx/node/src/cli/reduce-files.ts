/// <reference types="node" />
import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, tap } from 'rxjs';
import { type BackendName, EmptyStreamError, FileFormatError, type Frame, OptionError, StreamInputError, useBackend } from 'npstreams-rx';
import { loadNode } from '../load';
import { expandSource } from '../glob';
import { isHdf5Source } from '../hdf5-source';
import { version } from './program';
import type { FoldValues } from '../fold/fold-values';
import type { CliFold } from './fold-cli';
import { save } from '../save';
import { OPERATORS, applyCliSetup, operatorOptions } from './operators';
import { type Output, Progress } from './progress';
import { type CliOptions, type CliSetup, EXIT, type Statistic, failWith, foldsAlong, withDataset } from './statistics';
import { foldLoaded } from '../fold/fold-loaded';

/**
 * The reduction the command runs (`npstreams-rx <statistic> <files...>`), its arguments parsed
 * and checked by runCli: loaded only then, with tfjs (`--help` and wrong arguments never load
 * it). Resolves to the exit code.
 */
export async function reduceFiles(
  statistic: Statistic,
  fileArgs: string[],
  o: CliOptions,
  output: Output,
  setup: CliSetup,
  /** A fold runCli started (fold-cli.ts), or null. */
  fold: CliFold | null = null,
): Promise<number> {
  const fail = failWith(output);
  applyCliSetup(setup);
  const started = performance.now();
  // a tensor, or a fold's values as they came (saved as they are: no copy through a backend)
  let result: tf.Tensor | Frame | null = null;
  let progress: Progress | null = null;
  try {
    let paths: string[];
    let folded: FoldValues | null = null;
    let backendStart: Promise<string> | null = null;
    if (fold) {
      // runCli started a fold (fold-cli.ts): its values are saved as they come, without a backend;
      // one the command names is started all the same (an unknown or unavailable one is refused)
      if (o.backend !== 'auto') {
        backendStart = useBackend(o.backend as BackendName);
        backendStart.catch(() => undefined);
      }
      [paths, progress] = [fold.paths, fold.progress];
      folded = await fold.folded;
    } else {
      paths = [];
      // an HDF5 source's file part is a glob, its dataset kept (load reads it frame by frame)
      for (const arg of withDataset(fileArgs, o.dataset)) paths.push(...(await expandSource(arg)));
      // HDF5 datasets hold hundreds of frames a file: the progress counts frames, each dataset's
      // as load opens it
      progress = paths.every(isHdf5Source) ? new Progress(output, 0, o.quiet, 'frames') : new Progress(output, paths.length, o.quiet);
    }
    const bar = progress;
    const skipped: string[] = fold ? fold.skipped : [];
    const onSkip = (e: FileFormatError) => {
      skipped.push(e.file);
      bar.note(`skipped ${e.message}`);
    };
    let frames = 0;
    let shape: readonly number[] = [];
    let dtype = '';
    let how: string;
    if (folded) {
      // the mean or sum: threads folded the frames (their parts of every frame of raw files, or
      // the frames other threads decoded), the same numbers as the operator, bit for bit
      await backendStart;
      [frames, shape, dtype] = [folded.frames, folded.shape, folded.dtype];
      result = { data: folded.values, shape: folded.shape, dtype: 'float32' };
      how =
        o.workers === 0
          ? 'wasm'
          : folded.decoders > 0
            ? `wasm, decoded on ${folded.decoders} worker threads, folded on this one`
            : `wasm, folded on ${folded.threads} worker thread${folded.threads > 1 ? 's' : ''}`;
    } else {
      // the mean of HDF5 datasets along the stream: folded here as load reads them, without tfjs
      // (the fold's sum: the operator's numbers, bit for bit); one backend the command names is
      // started all the same
      const foldHere = foldsAlong(statistic, o) === 'mean' && paths.length > 0 && paths.every(isHdf5Source);
      const backend = foldHere
        ? o.backend === 'auto'
          ? null
          : await useBackend(o.backend as BackendName)
        : await (backendStart ?? useBackend(o.backend === 'auto' ? undefined : (o.backend as BackendName)));
      how = `${backend ?? 'wasm'}${o.workers > 0 ? `, decoded on ${o.workers} worker threads` : ''}${foldHere ? `, folded on this thread` : ''}`;
      let files = 0;
      let lastFile = '';
      // --workers: threads read and decode, this one reduces, in the files' order (the same result);
      // with them, load's concurrency defaults to workers + 1
      const concurrency = o.concurrency ?? (o.workers > 0 ? undefined : 2);
      // each frame is reduced as it comes: files are read and decoded into the same memory over and over
      const loaded = loadNode(
        paths,
        { concurrency, workers: o.workers, reuse: true, skipBad: o.skipBad, onSkip, maxPixels: o.maxPixels, maskMax: o.maskMax },
        { hdf5Opened: (_, n) => bar.grow(n) },
      ).pipe(
        tap((f) => {
          frames++;
          if (frames === 1) [shape, dtype] = [f.shape, f.dtype];
          const file = f.file.replace(/#\d+$/, '');
          if (file !== lastFile) [files, lastFile] = [files + 1, file];
          bar.update(files + skipped.length, frames);
        }),
      );
      if (foldHere) {
        const fold = await foldLoaded(loaded, 'reduceMean');
        result = { data: fold.values, shape: fold.shape, dtype: 'float32' };
      } else result = await lastValueFrom(loaded.pipe(OPERATORS[statistic].reduce(operatorOptions(o))));
    }
    progress.done();
    await save(result, o.out, isHdf5Source(o.out) ? { attributes: { statistic, frames, sources: paths.filter((p) => !skipped.includes(p)), version: version() } } : {});
    const seconds = (performance.now() - started) / 1000;
    const items = `${frames} frames of shape [${shape.join(', ')}] ${dtype}`;
    output.stdout.write(
      `npstreams-rx: ${statistic} of ${items} from ${paths.length - skipped.length} files${skipped.length ? ` (${skipped.length} skipped)` : ''}, ` +
        `on ${how}, in ${seconds.toFixed(2)} s -> ${o.out} [${result.shape.join(', ')}] ${result.dtype}\n`,
    );
    return EXIT.ok;
  } catch (err) {
    if (err instanceof FileFormatError || err instanceof StreamInputError || err instanceof EmptyStreamError) {
      const hint = err instanceof EmptyStreamError ? ' (no file gave a frame)' : o.skipBad ? '' : ' (--skip-bad skips unreadable files)';
      return fail(EXIT.badFile, `${err.message}${hint}`);
    }
    if (err instanceof OptionError) return fail(EXIT.badArguments, err.message);
    return fail(EXIT.badFile, err instanceof Error ? (err.stack ?? err.message) : String(err));
  } finally {
    progress?.done();
    if (result instanceof tf.Tensor) result.dispose();
  }
}
