// The command's argument parsers and commander's parse (commander: an optional peer of the
// library, loaded by runCli once it is known to be there).
import { type Command, CommanderError, InvalidArgumentError, type OptionValues } from 'commander';
import { EXIT } from './statistics';

/** An integer option's parser: at least `min`, else commander's usage error naming it. */
export const integer = (name: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
  return n;
};

/** --bins: increasing edges `0,10,20,50`, or `start:stop:count` (count equal bins). */
export function parseBins(value: string): number[] {
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

/** Parses argv with commander: the options and arguments, or an exit code (0 after --help or
 * --version; 2 after a usage error, which commander has printed). */
export function parseArgs<T extends OptionValues>(command: Command, argv: string[]): { opts: T; args: unknown[] } | number {
  try {
    command.parse(argv, { from: 'user' });
  } catch (err) {
    return err instanceof CommanderError ? (err.exitCode === 0 ? EXIT.ok : EXIT.badArguments) : EXIT.badArguments;
  }
  return { opts: command.opts<T>(), args: command.processedArgs };
}
