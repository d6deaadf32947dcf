import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type AverageAndVar, type VarOptions, momentsReduction } from '../reductions/moments';

/** Running `{ average, variance }` of a stream of arrays from one pass (npstreams' `iaverage_and_var`). */
export function scanAverageAndVar(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, AverageAndVar> {
  return accumulate('scanAverageAndVar', momentsReduction<AverageAndVar>('scanAverageAndVar', options, 'averageAndVar'), options, 'scan');
}

/** `{ average, variance }` of a whole stream of arrays, emitted once on complete. */
export function reduceAverageAndVar(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, AverageAndVar> {
  return accumulate('reduceAverageAndVar', momentsReduction<AverageAndVar>('reduceAverageAndVar', options, 'averageAndVar'), options, 'reduce');
}
