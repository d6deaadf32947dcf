/// <reference types="node" />
// The command's arguments, parsed by commander (an optional peer of the library, loaded by runCli
// once it is known to be there; the command's bundle carries its own).
import { createRequire } from 'node:module';
import { Command, Option } from 'commander';
import { integer, parseBins } from './arguments';
import type { Output } from './progress';
import { STATISTICS } from './statistics';

/** Put in by the command's bundle (scripts/build-cli.mjs) from the package's package.json. */
declare const NPSTREAMS_RX_VERSION: string | undefined;

/** The package's version: the bundle's, else the installed package's (runCli from the library). */
export function version(): string {
  if (typeof NPSTREAMS_RX_VERSION === 'string') return NPSTREAMS_RX_VERSION;
  try {
    return (createRequire(import.meta.url)('npstreams-rx/package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function program(output: Output): Command {
  return (
    new Command()
      .name('npstreams-rx')
      .description(
        "Reduces the arrays in files (.npy, PNG, TIFF pages, JPEG; HDF5 and NeXus datasets frame by frame) to one statistic, streaming them in constant memory, and writes it (.npy, or .png/.tif by --out's extension).\n" +
          'Globs are expanded by the command itself: quote them ("data/*.tif").',
      )
      .argument('<statistic>', `one of ${STATISTICS.join(', ')} (average is the mean: files carry no weights)`)
      .argument('<files...>', 'paths or globs, reduced in this order (each glob sorted); an HDF5 dataset as file.h5::/entry/data/data (a .h5/.nxs file alone: its NeXus default)')
      .requiredOption(
        '-o, --out <path>',
        'where the result goes: .npy (NumPy reads it), .png, .tif, or HDF5 (result.h5::/path, or a .h5 file alone: /entry/data/data; with the statistic, frames, sources and version as attributes)',
      )
      .addOption(new Option('-b, --backend <name>', 'tfjs backend: auto picks the fastest here').choices(['auto', 'wasm', 'cpu']).default('auto'))
      .option('-c, --concurrency <n>', 'files read and decoded at once (default 2, or workers + 1)', integer('--concurrency', 1))
      .option(
        '-w, --workers <n>',
        'worker threads: for the mean or sum of .npy or uncompressed TIFF files each folds its part of every frame; otherwise they read and decode the files while this thread reduces them, in order (the same result either way; 0: one thread does it all)',
        integer('--workers', 0),
        0,
      )
      .option('--skip-bad', 'skip files that cannot be read or decoded (reported on stderr) instead of failing', false)
      .option('--dataset <path>', "the dataset to read in every HDF5 file given without '::/path' (default: the file's NeXus default)")
      .option(
        '--mask-max',
        "unsigned counts equal to their type's maximum (a detector's gaps and dead pixels: 65535, 4294967295) read as NaN, in .npy, TIFF and HDF5 files; with --ignore-nan the statistic goes around them",
        false,
      )
      .option('--ignore-nan', 'leave NaNs out (nansum, nanmean, nanvar..., nanmin, nanmax) instead of letting them propagate; not for histogram, which never counts them', false)
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
