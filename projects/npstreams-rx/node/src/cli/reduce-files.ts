/// <reference types="node" />
import type * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, tap } from 'rxjs';
import {
  type BackendName,
  EmptyStreamError,
  FileFormatError,
  OptionError,
  StreamInputError,
  useBackend,
} from 'npstreams-rx';
import { expandGlob, load } from '../load';
import { save } from '../save';
import { OPERATORS, applyCliSetup, operatorOptions } from './operators';
import { type Output, Progress } from './progress';
import { type CliOptions, type CliSetup, EXIT, type Statistic, failWith } from './statistics';

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
): Promise<number> {
  const fail = failWith(output);
  applyCliSetup(setup);
  const started = performance.now();
  let result: tf.Tensor | null = null;
  let progress: Progress | null = null;
  try {
    const paths: string[] = [];
    for (const arg of fileArgs) paths.push(...(await expandGlob(arg)));
    const backend = await useBackend(o.backend === 'auto' ? undefined : (o.backend as BackendName));
    progress = new Progress(output, paths.length, o.quiet);
    const bar = progress;
    const skipped: string[] = [];
    const onSkip = (e: FileFormatError) => {
      skipped.push(e.file);
      bar.note(`skipped ${e.message}`);
    };
    let frames = 0;
    let shape: readonly number[] = [];
    let dtype = '';
    let files = 0;
    let lastFile = '';
    // --workers: threads read and decode, this one reduces, in the files' order (the same result);
    // with them, load's concurrency defaults to workers + 1
    const concurrency = o.concurrency ?? (o.workers > 0 ? undefined : 2);
    result = await lastValueFrom(
      // each frame is reduced as it comes: files are read and decoded into the same memory over and over
      load(paths, { concurrency, workers: o.workers, reuse: true, skipBad: o.skipBad, onSkip }).pipe(
        tap((f) => {
          frames++;
          if (frames === 1) [shape, dtype] = [f.shape, f.dtype];
          const file = f.file.replace(/#\d+$/, '');
          if (file !== lastFile) [files, lastFile] = [files + 1, file];
          bar.update(files + skipped.length, frames);
        }),
        OPERATORS[statistic].reduce(operatorOptions(o)),
      ),
    );
    progress.done();
    await save(result, o.out);
    const seconds = (performance.now() - started) / 1000;
    const what = o.workers > 0 ? `${backend}, decoded on ${o.workers} worker threads` : `${backend}`;
    const items = `${frames} frames of shape [${shape.join(', ')}] ${dtype}`;
    output.stdout.write(
      `npstreams-rx: ${statistic} of ${items} from ${paths.length - skipped.length} files${skipped.length ? ` (${skipped.length} skipped)` : ''}, ` +
        `on ${what}, in ${seconds.toFixed(2)} s -> ${o.out} [${result.shape.join(', ')}] ${result.dtype}\n`,
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
    result?.dispose();
  }
}
