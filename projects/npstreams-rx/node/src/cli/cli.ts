/// <reference types="node" />
// The command line's entry. Its packages (commander, cli-progress) are optional peers of the
// library, checked first (peers.ts); the parse (program.ts, arguments.ts), the reduction
// (reduce-files.ts, with tfjs) and the queue's subcommands (queue-cli.ts, with BullMQ) load when
// they run.
import type { Output } from './progress';
import { commanderPackage, progressPackage } from '../peers';
import { type CliOptions, type CliSetup, EXIT, STATISTICS, type Statistic, checkCombination, failWith, foldCandidate } from './statistics';

export { EXIT } from './statistics';

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
  // commander and cli-progress are optional peers of the library: say so if they are missing
  // (cli-progress only once a command is about to run: --help and usage errors need only commander)
  await commanderPackage('runCli');
  // reductions on worker machines through a queue (Redis, BullMQ)
  if (argv[0] === 'submit' || argv[0] === 'worker') {
    await progressPackage('runCli');
    const queueCli = await import('./queue-cli');
    return argv[0] === 'submit' ? queueCli.runSubmit(argv.slice(1), output, setup) : queueCli.runWorkerCommand(argv.slice(1), output, setup);
  }
  const [{ program }, { parseArgs }] = await Promise.all([import('./program'), import('./arguments')]);
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

  await progressPackage('runCli');
  // the mean or sum along the stream: threads start folding the files before the library loads here
  const fold = foldCandidate(statistic, o, fileArgs);
  const folding = fold ? (await import('./fold-cli')).startFold(fold, fileArgs, o, output) : null;
  const { reduceFiles } = await import('./reduce-files');
  return reduceFiles(statistic, fileArgs, o, output, setup, folding ? await folding : null);
}
