import { OptionError } from '../core/errors';
import { type PartialRecipe, STATISTIC_KINDS } from '../core/partial';
import type { Reduction } from '../core/reduction';
import { resolveUfunc } from '../ops/ufuncs';
import { averageReduction } from './average';
import { checkBins, histogramReduction } from './histogram';
import { type MomentsOutput, momentsReduction } from './moments';
import { ufuncReduction } from './ufunc';

/**
 * The catalogue of statistics that have a mergeable partial state: what `partials` makes, what
 * a serialized partial result, a thread of parallelReduce and a worker of the queue rebuild from
 * a recipe (plain data), and the rules every one of them keeps. One place: the operators, the
 * serialization, parallelReduce, the queue's job checks and the command read it here.
 */

/** The options that change a statistic's state and travel with its recipe, each with what it
 * may be once it is plain data (a recipe from another process is checked against this). */
export const STATE_OPTIONS: Readonly<Record<string, (value: unknown) => boolean>> = {
  axis: (v) => v === null || (Number.isInteger(v) && (v as number) >= -1 && (v as number) < 32),
  ddof: (v) => Number.isInteger(v) && (v as number) >= 0,
  dtype: (v) => v === 'float32' || v === 'int32',
  ignoreNaN: (v) => typeof v === 'boolean',
};

/** Whether a recipe can be rebuilt elsewhere (another thread, process or machine): not a user's
 * ufunc, which is a function, and functions do not travel. Every place that sends a statistic
 * away asks this first, when it is made. */
export function travels(recipe: PartialRecipe): boolean {
  return !(recipe.kind === 'ufunc' && (recipe.ufunc === undefined || recipe.ufunc.startsWith('user ufunc')));
}

/**
 * The reduction a recipe names. A recipe is plain data (it travels with a serialized partial
 * result, see serializePartial) and names the statistic: only partial results of one statistic
 * (the same recipe) merge.
 */
export function reductionOf(recipe: PartialRecipe): Reduction<object, unknown> {
  const name = `partials.${recipe.kind}`;
  const options = recipe.options as never;
  if (!travels(recipe)) throw new OptionError(`${name}: a user ufunc's partial result cannot be rebuilt from data (functions do not travel)`);
  switch (recipe.kind) {
    case 'sum':
      return ufuncReduction(name, resolveUfunc(name, 'add'), options) as never;
    case 'ufunc':
      return ufuncReduction(name, resolveUfunc(name, recipe.ufunc!), options) as never;
    case 'mean':
    case 'average':
      return averageReduction(name, options, recipe.weighted === true) as never;
    case 'var':
    case 'std':
    case 'sem':
    case 'averageAndVar':
      return momentsReduction(name, options, recipe.kind as MomentsOutput) as never;
    case 'histogram':
      return histogramReduction(checkBins(name, recipe.bins ?? []), recipe.weighted === true) as never;
    default:
      throw new OptionError(`partials: no statistic named '${String((recipe as { kind: unknown }).kind)}'`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A recipe that came as data from elsewhere (a queue's job), checked field by field before
 * anything is built from it: its statistic, its options and their types, no weights (what travels
 * is unweighted), a ufunc's name, bin edges as numbers. Throws an OptionError saying what is wrong
 * (`recipe.kind "x" is no statistic`); returns a copy, for `partialOperatorOf` to make (which
 * runs the statistic's own checks: the ufunc known, the edges increasing).
 */
export function checkRecipe(recipe: unknown): PartialRecipe {
  const bad = (what: string): never => {
    throw new OptionError(what);
  };
  if (!isObject(recipe)) return bad('recipe is not an object');
  const extra = Object.keys(recipe).filter((k) => !['kind', 'options', 'ufunc', 'bins', 'weighted'].includes(k));
  if (extra.length) bad(`recipe has unknown fields ${extra.slice(0, 5).join(', ')}`);
  if (!(STATISTIC_KINDS as readonly unknown[]).includes(recipe['kind'])) bad(`recipe.kind ${JSON.stringify(recipe['kind'])?.slice(0, 30)} is no statistic`);
  const options = recipe['options'];
  if (!isObject(options)) return bad('recipe.options is not an object');
  for (const [k, v] of Object.entries(options)) {
    if (!(k in STATE_OPTIONS)) bad(`recipe.options.${k.slice(0, 30)} is no option of a statistic`);
    if (!STATE_OPTIONS[k](v)) bad(`recipe.options.${k} is ${JSON.stringify(v)?.slice(0, 30)}`);
  }
  if (recipe['weighted'] !== undefined && recipe['weighted'] !== false) bad('recipe.weighted: files carry no weights');
  if (recipe['ufunc'] !== undefined && (typeof recipe['ufunc'] !== 'string' || recipe['ufunc'].length > 64)) bad('recipe.ufunc is not a ufunc name');
  const bins = recipe['bins'];
  if (bins !== undefined && (!Array.isArray(bins) || bins.length > 1_000_001 || bins.some((b) => typeof b !== 'number'))) bad('recipe.bins is not a list of numbers');
  return JSON.parse(JSON.stringify(recipe)) as PartialRecipe;
}
