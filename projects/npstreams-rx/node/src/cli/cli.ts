/// <reference types="node" />
import type * as tf from '@tensorflow/tfjs-core';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { type OperatorFunction, lastValueFrom, tap } from 'rxjs';
import {
  type ArrayInput,
  type BackendName,
  EmptyStreamError,
  FileFormatError,
  OptionError,
  type PartialOf,
  StreamInputError,
  disposePartial,
  partialValue,
  partials,
  reduceHistogram,
  reduceMax,
  reduceMean,
  reduceMin,
  reduceSem,
  reduceStd,
  reduceSum,
  reduceVar,
  useBackend,
} from 'npstreams-rx';
import { expandGlob, load } from '../load';
import { reduceFilesPartial } from '../parallel-reduce';
import { save } from '../save';
import { type Output, Progress } from './progress';

const STATISTICS = ['sum', 'mean', 'average', 'var', 'std', 'sem', 'min', 'max', 'histogram'] as const;
type Statistic = (typeof STATISTICS)[number];

interface CliOptions {
  out: string;
  backend: 'auto' | 'wasm' | 'cpu';
  concurrency: number;
  workers: number;
  skipBad: boolean;
  ddof?: number;
  axis?: number | 'none';
  bins?: number[];
  quiet: boolean;
}

/** Exit codes: 0 done, 1 a file could not be used, 2 the arguments are wrong. */
export const EXIT = { ok: 0, badFile: 1, badArguments: 2 } as const;

class UsageError extends Error {}

const integer = (name: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
  return n;
};

/** --bins: increasing edges `0,10,20,50`, or `start:stop:count` (count equal bins). */
function parseBins(value: string): number[] {
  const range = /^([^:]+):([^:]+):([^:]+)$/.exec(value);
  if (range) {
    const [start, stop, count] = range.slice(1).map(Number);
    if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isInteger(count) || count < 1 || !(stop > start)) {
      throw new InvalidArgumentError('start:stop:count needs finite start < stop and a positive integer count');
    }
    return Array.from({ length: count + 1 }, (_, i) => (i === count ? stop : start + ((stop - start) * i) / count));
  }
  const edges = value.split(',').map((s) => Number(s.trim()));
  if (edges.length < 2 || edges.some((e) => !Number.isFinite(e)) || edges.some((e, i) => i > 0 && !(e > edges[i - 1]))) {
    throw new InvalidArgumentError('give at least two increasing numbers (0,10,20) or start:stop:count');
  }
  return edges;
}

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

/** Each statistic as the operator that reduces the stream on the main thread and as the
 * partials operator worker threads run; `axis` and `moments` are the options they take. */
const OPERATORS: Record<Statistic, { reduce: (o: Options) => OperatorFunction<ArrayInput, tf.Tensor>; partial: (o: Options) => PartialOf<unknown> }> = {
  sum: { reduce: (o) => reduceSum(o.axis), partial: (o) => partials.sum(o.axis) },
  mean: { reduce: (o) => reduceMean(o.axis), partial: (o) => partials.mean(o.axis) },
  average: { reduce: (o) => reduceMean(o.axis), partial: (o) => partials.mean(o.axis) },
  var: { reduce: (o) => reduceVar(o.moments), partial: (o) => partials.var(o.moments) },
  std: { reduce: (o) => reduceStd(o.moments), partial: (o) => partials.std(o.moments) },
  sem: { reduce: (o) => reduceSem(o.moments), partial: (o) => partials.sem(o.moments) },
  min: { reduce: (o) => reduceMin(o.axis), partial: (o) => partials.ufunc('minimum', o.axis) },
  max: { reduce: (o) => reduceMax(o.axis), partial: (o) => partials.ufunc('maximum', o.axis) },
  histogram: { reduce: (o) => reduceHistogram(o.bins), partial: (o) => partials.histogram(o.bins) },
};

interface Options {
  axis: { axis?: number | null };
  moments: { axis?: number | null; ddof?: number };
  bins: number[];
}

function operatorOptions(o: CliOptions): Options {
  const axis = o.axis === undefined ? {} : { axis: o.axis === 'none' ? null : o.axis };
  return { axis, moments: { ...axis, ...(o.ddof === undefined ? {} : { ddof: o.ddof }) }, bins: o.bins ?? [] };
}

function checkCombination(statistic: Statistic, o: CliOptions): void {
  if (statistic === 'histogram' && !o.bins) throw new UsageError('histogram needs --bins (edges 0,10,20 or start:stop:count)');
  if (statistic !== 'histogram' && o.bins) throw new UsageError(`--bins is for histogram, not ${statistic}`);
  if (o.ddof !== undefined && !['var', 'std', 'sem'].includes(statistic)) throw new UsageError(`--ddof is for var, std and sem, not ${statistic}`);
  if (statistic === 'histogram' && o.axis !== undefined) throw new UsageError('--axis does not apply to histogram (it counts every value)');
  if (o.workers > 0 && o.axis !== undefined && o.axis !== 'none' && o.axis !== -1) {
    throw new UsageError(`--axis ${o.axis} cannot be split across --workers (only the stream axis or none): drop one of them`);
  }
  if (!/\.(npy|png|tiff?)$/i.test(o.out)) throw new UsageError(`--out ${o.out}: the result is written as .npy, .png or .tif/.tiff; name it so`);
}

/**
 * The command line, as a function: parses `argv` (without node and the script), reduces the
 * files, writes the result and the summary, and resolves to the exit code (0 done, 1 a file
 * could not be used, 2 wrong arguments). Progress goes to stderr: a bar on a TTY, plain lines
 * otherwise.
 */
export async function runCli(argv: string[], output: Output = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const command = program(output);
  try {
    command.parse(argv, { from: 'user' });
  } catch (err) {
    // --help and --version end here with code 0; usage errors were printed by commander
    return err instanceof CommanderError ? (err.exitCode === 0 ? EXIT.ok : EXIT.badArguments) : EXIT.badArguments;
  }
  const [statisticArg, fileArgs] = command.processedArgs as [string, string[]];
  const o = command.opts<CliOptions>();
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
