import { type OperatorFunction, map } from 'rxjs';
import { type AccumulateOptions, accumulateState, finalizeOwned } from './accumulate';
import { IntegerOverflow, overflowError } from './errors';
import type { ArrayInput } from './inputs';
import type { Reduction } from './reduction';
import { disposeExcept, tidyState, withOwnTensors } from './tensors';

/**
 * The mergeable state of a reduction over part of a stream, with the definition that made it:
 * partial results computed on separate streams (files, workers, machines) merge into what one
 * pass over everything gives. Owned by the subscriber: dispose it with `disposePartial`.
 */
export interface PartialResult<S extends object = object, O = unknown> {
  readonly reduction: Reduction<S, O>;
  readonly state: S;
}

/** The operator behind every `partials.x(...)`: emits the PartialResult of the whole stream once. */
export function partialOperator<S extends object, O>(
  operator: string,
  reduction: Reduction<S, O>,
  options: AccumulateOptions,
): OperatorFunction<ArrayInput, PartialResult<S, O>> {
  return (source) => source.pipe(accumulateState(operator, reduction, options), map((state) => ({ reduction, state })));
}

/** Chan et al.-style merge of two partial results of the same reduction, as a new partial result
 * (a and b are left as they are; dispose them when done). The merged state may reuse an input's
 * tensor (a shift, a count): it gets its own copy. */
export function mergePartials<S extends object, O>(a: PartialResult<S, O>, b: PartialResult<S, O>): PartialResult<S, O> {
  let state: S;
  try {
    state = tidyState(() => withOwnTensors(a.reduction.merge(a.state, b.state), [a.state, b.state]));
  } catch (err) {
    throw err instanceof IntegerOverflow ? overflowError('mergePartials', -1, err) : err;
  }
  return { reduction: a.reduction, state };
}

/** The final value of a partial result, as new tensors (the partial result stays valid). */
export function partialValue<S extends object, O>(p: PartialResult<S, O>): O {
  return tidyState(() => finalizeOwned(p.reduction, p.state));
}

/** Disposes the tensors of a partial result. */
export function disposePartial(p: PartialResult): void {
  disposeExcept(new Set(), p.state);
}
