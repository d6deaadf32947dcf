import { isHdf5Source } from '../hdf5-source';
/** The statistics the command computes, the options they share (the reduce command, submit) and
 * the argument parsing of every subcommand: what the command needs before it loads tfjs (the
 * operators themselves are in operators.ts). */
export const STATISTICS = ['sum', 'mean', 'average', 'var', 'std', 'sem', 'min', 'max', 'histogram'] as const;
export type Statistic = (typeof STATISTICS)[number];

export interface CliOptions {
  out: string;
  backend: 'auto' | 'wasm' | 'cpu';
  /** Files read and decoded at once; default 2, or workers + 1. */
  concurrency?: number;
  workers: number;
  skipBad: boolean;
  /** Pixels an image may declare (load's maxPixels). */
  maxPixels?: number;
  /** The dataset of every HDF5 file named without `::/path`. */
  dataset?: string;
  /** A detector's mask (the unsigned maximum) as NaN (load's maskMax). */
  maskMax: boolean;
  /** NaNs left out of the statistic (the operators' ignoreNaN). */
  ignoreNan: boolean;
  ddof?: number;
  axis?: number | 'none';
  bins?: number[];
  quiet: boolean;
}

/** What the packaged command sets up before it runs (runCli's third argument). */
export interface CliSetup {
  /** Where the wasm backend's binaries are (a folder path ending in '/'): the bundled command
   * carries its own copies. Default: tfjs-backend-wasm's own folder. */
  wasmPaths?: string;
}

/** Exit codes: 0 done, 1 a file could not be used, 2 the arguments are wrong, 3 the queue
 * (Redis) could not be reached or was lost (submit, worker). */
export const EXIT = {
  /** 0: done, the result written. */
  ok: 0,
  /** 1: a file could not be read, decoded or written. */
  badFile: 1,
  /** 2: the arguments are wrong (the message says which). */
  badArguments: 2,
  /** 3: the queue (Redis) could not be reached, or was lost (submit, worker). */
  queue: 3,
} as const;

export class UsageError extends Error {}

/** Writes `<who>: <message>` to stderr and gives back the exit code: how every subcommand fails. */
export const failWith =
  (output: { stderr: { write(s: string): unknown } }, who = 'npstreams-rx') =>
  (code: number, message: string): number => {
    output.stderr.write(`${who}: ${message}\n`);
    return code;
  };

export function checkCombination(statistic: Statistic, o: CliOptions): void {
  if (statistic === 'histogram' && !o.bins) throw new UsageError('histogram needs --bins (edges 0,10,20 or start:stop:count)');
  if (statistic !== 'histogram' && o.bins) throw new UsageError(`--bins is for histogram, not ${statistic}`);
  if (o.ddof !== undefined && !['var', 'std', 'sem'].includes(statistic)) throw new UsageError(`--ddof is for var, std and sem, not ${statistic}`);
  if (statistic === 'histogram' && o.axis !== undefined) throw new UsageError('--axis does not apply to histogram (it counts every value)');
  if (statistic === 'histogram' && o.ignoreNan) throw new UsageError('--ignore-nan does not apply to histogram (it never counts NaN)');
  if (o.dataset !== undefined && !o.dataset.startsWith('/')) throw new UsageError(`--dataset ${o.dataset}: give the dataset's absolute path in the file, as /entry/data/data`);
  if (!/\.(npy|png|tiff?)$/i.test(o.out) && !isHdf5Source(o.out)) throw new UsageError(`--out ${o.out}: the result is written as .npy, .png, .tif/.tiff or HDF5 (.h5, or file.h5::/path); name it so`);
}

/** Whether the statistic is a fold: the mean or sum along the stream, with the wasm kernels
 * (--backend auto, which is wasm in Node, or wasm), of the values as they are (a mask or NaNs
 * left out go through the operators). */
export function foldsAlong(statistic: Statistic, o: CliOptions): 'mean' | 'sum' | null {
  const fold = statistic === 'mean' || statistic === 'average' ? 'mean' : statistic === 'sum' ? 'sum' : null;
  return fold && o.axis === undefined && o.backend !== 'cpu' && !o.maskMax && !o.ignoreNan ? fold : null;
}

/** Whether the reduction may be foldFiles': a fold (foldsAlong) of files (HDF5 sources go
 * through load, which reads their datasets frame by frame, folded by the command itself). The
 * first file decides the rest. */
export function foldCandidate(statistic: Statistic, o: CliOptions, sources: readonly string[] = []): 'mean' | 'sum' | null {
  const hdf5 = o.dataset !== undefined || sources.some(isHdf5Source);
  return hdf5 ? null : foldsAlong(statistic, o);
}

/** The sources as load reads them: `--dataset` added to every one without `::/path`. */
export function withDataset(sources: readonly string[], dataset: string | undefined): string[] {
  return dataset === undefined ? [...sources] : sources.map((s) => (s.includes('::') ? s : `${s}::${dataset}`));
}
