/// <reference types="node" />
// The command line's entry: what `--help`, `--version` and wrong arguments need (commander), and
// nothing more; the reduction (reduce-files.ts, with tfjs) and the queue's subcommands
// (queue-cli.ts, with BullMQ) load when they run.
import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import type { Output } from './progress';
import { type CliOptions, type CliSetup, EXIT, STATISTICS, type Statistic, checkCombination, failWith, foldCandidate, integer, parseArgs, parseBins } from './statistics';

export { EXIT } from './statistics';

/** Put in by the command's bundle (scripts/build-cli.mjs) from the package's package.json. */
declare const NPSTREAMS_RX_VERSION: string | undefined;

/** The package's version: the bundle's, else the installed package's (runCli from the library). */
function version(): string {
  if (typeof NPSTREAMS_RX_VERSION === 'string') return NPSTREAMS_RX_VERSION;
  try {
    return (createRequire(import.meta.url)('npstreams-rx/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function program(output: Output): Command {
  return (
    new Command()
      .name('npstreams-rx')
      .description(
        "Reduces the arrays in files (.npy, PNG, TIFF pages, JPEG) to one statistic, streaming them in constant memory, and writes it (.npy, or .png/.tif by --out's extension).\n" +
          'Globs are expanded by the command itself: quote them ("data/*.tif").',
      )
      .argument('<statistic>', `one of ${STATISTICS.join(', ')} (average is the mean: files carry no weights)`)
      .argument('<files...>', 'paths or globs, reduced in this order (each glob sorted)')
      .requiredOption('-o, --out <path>', 'where the result goes: .npy (NumPy reads it), .png or .tif')
      .addOption(new Option('-b, --backend <name>', 'tfjs backend: auto picks the fastest here').choices(['auto', 'wasm', 'cpu']).default('auto'))
      .option('-c, --concurrency <n>', 'files read and decoded at once (default 2, or workers + 1)', integer('--concurrency', 1))
      .option(
        '-w, --workers <n>',
        'worker threads: for the mean or sum of .npy or uncompressed TIFF files each folds its part of every frame; otherwise they read and decode the files while one more thread (or this one) reduces them, in order (the same result either way; 0: one thread does it all)',
        integer('--workers', 0),
        0,
      )
      .option('--skip-bad', 'skip files that cannot be read or decoded (reported on stderr) instead of failing', false)
      .option('--max-pixels <n>', 'refuse a file whose image declares more pixels (checked before decoding; default 268435456 = 2^28)', integer('--max-pixels', 1))
      .option('--ddof <n>', 'delta degrees of freedom (var, std, sem)', integer('--ddof', 0))
      // 'none' stays a string here (commander turns a parser's null into ''): operatorOptions maps it
      .option('--axis <k>', "reduce each array along axis k (then stack), or 'none' for all axes; default: along the stream", (v: string) => (v === 'none' ? 'none' : integer('--axis', -1)(v)))
      .option('--bins <edges>', 'histogram bin edges: 0,10,20,50 or start:stop:count', parseBins)
      .option('-q, --quiet', 'no progress, only the summary', false)
      .version(version(), '-V, --version')
      .addHelpText(
        'after',
        '\nOn other machines, through a queue (Redis, BullMQ):\n' +
          '  npstreams-rx submit <statistic> <files...> --queue URL --out result.npy   shard the reduction into jobs and merge their results (submit --help)\n' +
          '  npstreams-rx worker --queue URL                                             reduce the jobs of a queue, on any machine that sees the files (worker --help)',
      )
      .showHelpAfterError('(npstreams-rx --help for the usage)')
      .configureOutput({ writeOut: (s) => output.stdout.write(s), writeErr: (s) => output.stderr.write(s) })
      .exitOverride()
  );
}

/**
 * The command line (`npx npstreams-rx`), as a function: parses `argv` (without node and the
 * script), reduces the files, writes the result and the summary, and resolves to the exit code
 * (EXIT: 0 done, 1 a file could not be used, 2 wrong arguments, 3 the queue could not be reached
 * or was lost). Progress goes to stderr: a bar on a TTY, plain lines otherwise.
 *
 * `argv[0]` is a statistic (sum, mean, average, var, std, sem, min, max, histogram) followed by
 * the files and options (`--help` lists them), or `submit` or `worker`, the queue's subcommands
 * (Redis: see reduceOnQueue and queueWorker). Failures are reported on stderr and end in the exit
 * code: the promise does not reject for them.
 *
 * @param argv The arguments, as `process.argv.slice(2)` gives them.
 * @param output Where the summary, `--help` and `--version` (`stdout`) and the progress and the
 *   problems (`stderr`; a TTY gets a progress bar) go; default: the process's.
 * @param setup What a packaged command sets up first: `wasmPaths`, the folder of the wasm
 *   backend's binaries.
 * @returns A promise of the exit code (one of EXIT's values).
 *
 * @example
 * ```ts
 * import { runCli } from 'npstreams-rx/node';
 *
 * // as `npstreams-rx mean "samples/*.png" --out mean.npy --quiet`, its output collected here
 * let summary = '';
 * const output = { stdout: { write: (s: string) => (summary += s) }, stderr: process.stderr };
 * process.exitCode = await runCli(['mean', 'samples/*.png', '--out', 'mean.npy', '--quiet'], output);
 * console.log(summary);
 * ```
 */
export async function runCli(argv: string[], output: Output = { stdout: process.stdout, stderr: process.stderr }, setup: CliSetup = {}): Promise<number> {
  // reductions on worker machines through a queue (Redis, BullMQ)
  if (argv[0] === 'submit') return (await import('./queue-cli')).runSubmit(argv.slice(1), output, setup);
  if (argv[0] === 'worker') return (await import('./queue-cli')).runWorkerCommand(argv.slice(1), output, setup);
  const parsed = parseArgs<CliOptions>(program(output), argv);
  if (typeof parsed === 'number') return parsed;
  const { opts: o, args } = parsed;
  const [statisticArg, fileArgs] = args as [string, string[]];
  const fail = failWith(output);
  if (!(STATISTICS as readonly string[]).includes(statisticArg)) {
    return fail(EXIT.badArguments, `unknown statistic '${statisticArg}': use one of ${STATISTICS.join(', ')} (npstreams-rx --help)`);
  }
  const statistic = statisticArg as Statistic;
  try {
    checkCombination(statistic, o);
  } catch (err) {
    return fail(EXIT.badArguments, (err as Error).message);
  }

  // the mean or sum along the stream: threads start folding the files before the library loads here
  const fold = foldCandidate(statistic, o);
  const folding = fold ? (await import('./fold-cli')).startFold(fold, fileArgs, o, output) : null;
  const { reduceFiles } = await import('./reduce-files');
  return reduceFiles(statistic, fileArgs, o, output, setup, folding ? await folding : null);
}
