/// <reference types="node" />
import type * as tf from '@tensorflow/tfjs-core';
import { Command, Option } from 'commander';
import { lastValueFrom, tap } from 'rxjs';
import {
  type BackendName,
  EmptyStreamError,
  FileFormatError,
  OptionError,
  StreamInputError,
  disposePartial,
  partialValue,
  useBackend,
} from 'npstreams-rx';
import { expandGlob, load } from '../load';
import { reduceFilesPartial } from '../parallel-reduce';
import { save } from '../save';
import { type Output, Progress } from './progress';
import { runSubmit, runWorkerCommand } from './queue-cli';
import { type CliOptions, EXIT, OPERATORS, STATISTICS, type Statistic, UsageError, checkCombination, integer, operatorOptions, parseArgs, parseBins } from './statistics';

export { EXIT } from './statistics';

function program(output: Output): Command {
  return new Command()
    .name('npstreams-rx')
    .description(
      'Reduces the arrays in files (.npy, PNG, TIFF pages, JPEG) to one statistic, streaming them in constant memory, and writes it (.npy, or .png/.tif by --out\'s extension).\n' +
        'Globs are expanded by the command itself: quote them ("data/*.tif").',
    )
    .argument('<statistic>', `one of ${STATISTICS.join(', ')} (average is the mean: files carry no weights)`)
    .argument('<files...>', 'paths or globs, reduced in this order (each glob sorted)')
    .requiredOption('-o, --out <path>', 'where the result goes: .npy (NumPy reads it), .png or .tif')
    .addOption(new Option('-b, --backend <name>', 'tfjs backend: auto picks the fastest here').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .option('-c, --concurrency <n>', 'files read and decoded at once', integer('--concurrency', 1), 2)
    .option('-w, --workers <n>', 'worker threads reducing shares of the files in parallel (0: the main thread)', integer('--workers', 0), 0)
    .option('--skip-bad', 'skip files that cannot be read or decoded (reported on stderr) instead of failing', false)
    .option('--ddof <n>', 'delta degrees of freedom (var, std, sem)', integer('--ddof', 0))
    // 'none' stays a string here (commander turns a parser's null into ''): operatorOptions maps it
    .option('--axis <k>', "reduce each array along axis k (then stack), or 'none' for all axes; default: along the stream", (v: string) =>
      v === 'none' ? 'none' : integer('--axis', -1)(v),
    )
    .option('--bins <edges>', 'histogram bin edges: 0,10,20,50 or start:stop:count', parseBins)
    .option('-q, --quiet', 'no progress, only the summary', false)
    .version('0.1.0', '-V, --version')
    .showHelpAfterError('(npstreams-rx --help for the usage)')
    .configureOutput({ writeOut: (s) => output.stdout.write(s), writeErr: (s) => output.stderr.write(s) })
    .exitOverride();
}

/**
 * The command line, as a function: parses `argv` (without node and the script), reduces the
 * files, writes the result and the summary, and resolves to the exit code (0 done, 1 a file
 * could not be used, 2 wrong arguments). Progress goes to stderr: a bar on a TTY, plain lines
 * otherwise.
 */
export async function runCli(argv: string[], output: Output = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  // reductions on worker machines through a queue (Redis, BullMQ)
  if (argv[0] === 'submit') return runSubmit(argv.slice(1), output);
  if (argv[0] === 'worker') return runWorkerCommand(argv.slice(1), output);
  const parsed = parseArgs<CliOptions>(program(output), argv);
  if (typeof parsed === 'number') return parsed;
  const { opts: o, args } = parsed;
  const [statisticArg, fileArgs] = args as [string, string[]];
  const fail = (code: number, message: string): number => {
    output.stderr.write(`npstreams-rx: ${message}\n`);
    return code;
  };
  if (!(STATISTICS as readonly string[]).includes(statisticArg)) {
    return fail(EXIT.badArguments, `unknown statistic '${statisticArg}': use one of ${STATISTICS.join(', ')} (npstreams-rx --help)`);
  }
  const statistic = statisticArg as Statistic;
  try {
    checkCombination(statistic, o);
  } catch (err) {
    return fail(EXIT.badArguments, (err as Error).message);
  }

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
    if (o.workers > 0) {
      const merged = await lastValueFrom(
        reduceFilesPartial(OPERATORS[statistic].partial(operatorOptions(o)), paths, {
          workers: o.workers,
          backend: backend as BackendName,
          skipBad: o.skipBad,
          onSkip,
          chunkSize: Math.max(1, Math.min(16, Math.ceil(paths.length / (4 * o.workers)))),
          onProgress: (p) => bar.update(p.files, p.frames),
        }),
      );
      try {
        result = partialValue(merged) as tf.Tensor;
        frames = bar.frames;
      } finally {
        disposePartial(merged);
      }
    } else {
      let files = 0;
      let lastFile = '';
      result = await lastValueFrom(
        load(paths, { concurrency: o.concurrency, skipBad: o.skipBad, onSkip }).pipe(
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
    }
    progress.done();
    await save(result, o.out);
    const seconds = (performance.now() - started) / 1000;
    const what = o.workers > 0 ? `${o.workers} worker threads on ${backend}` : `${backend}`;
    const items = o.workers > 0 ? `${frames} frames` : `${frames} frames of shape [${shape.join(', ')}] ${dtype}`;
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
