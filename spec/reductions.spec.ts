import type * as tf from '@tensorflow/tfjs-core';
import { type OperatorFunction, from } from 'rxjs';
import * as api from '../projects/npstreams-rx/src/public-api';
import type { ArrayInput } from '../projects/npstreams-rx/src/public-api';
import { describeOnBackends } from './helpers/backends';
import { expectEmission } from './helpers/close';
import { CASES, type ReductionCase, asInput, isIntSum } from './helpers/fixtures';
import { type Emitted, runStream } from './helpers/streams';

type Options = ReductionCase['options'] & { weights?: Iterable<ArrayInput | number> };
type Pair = Record<'scan' | 'reduce', (o: Options) => OperatorFunction<ArrayInput, Emitted>>;
const OPERATORS: Record<string, Pair> = {
  sum: { scan: api.scanSum, reduce: api.reduceSum },
  mean: { scan: api.scanMean, reduce: api.reduceMean },
  average: { scan: api.scanAverage, reduce: api.reduceAverage },
  prod: { scan: api.scanProd, reduce: api.reduceProd },
  max: { scan: api.scanMax, reduce: api.reduceMax },
  min: { scan: api.scanMin, reduce: api.reduceMin },
  all: { scan: api.scanAll, reduce: api.reduceAll },
  any: { scan: api.scanAny, reduce: api.reduceAny },
  sub: { scan: api.scanSub, reduce: api.reduceSub },
  var: { scan: api.scanVar, reduce: api.reduceVar },
  std: { scan: api.scanStd, reduce: api.reduceStd },
  sem: { scan: api.scanSem, reduce: api.reduceSem },
  averageAndVar: { scan: api.scanAverageAndVar, reduce: api.reduceAverageAndVar },
};
/** The operator pair of a case: a named one, scanHistogram with the case's bins, or
 * scanUfunc/reduceUfunc for 'ufunc:<name>'. */
function operators({ op, bins, options }: ReductionCase): Pair {
  if (op === 'histogram') return { scan: (o) => api.scanHistogram(bins!, o), reduce: (o) => api.reduceHistogram(bins!, o) };
  const linalg: Record<string, () => OperatorFunction<ArrayInput, tf.Tensor>> = {
    dot: () => api.scanDot(),
    inner: () => api.scanInner(),
    tensordot: () => api.scanTensordot(options.axes!),
    einsum: () => api.scanEinsum(options.subscripts!),
  };
  // the cumulative products are scans; their final value is taken with lastValue()
  if (op in linalg) return { scan: linalg[op], reduce: () => (source) => source.pipe(linalg[op](), api.lastValue()) };
  if (!op.startsWith('ufunc:')) return OPERATORS[op];
  const name = op.slice('ufunc:'.length);
  return { scan: (o) => api.scanUfunc(name, o), reduce: (o) => api.reduceUfunc(name, o) };
}

/** The case's items (and weights) as stream inputs, plus the tensors made for them. */
function inputs(c: ReductionCase): { items: ArrayInput[]; weights?: (ArrayInput | number)[]; made: tf.Tensor[] } {
  const made: tf.Tensor[] = [];
  const items = c.items.map((v, i) => asInput(v, c.form, i === c.mixedInt ? 'int32' : c.itemDtype, made));
  const weights = c.weights?.map((w) => (typeof w === 'number' ? w : asInput(w, c.form === 'number' ? 'nested' : c.form, 'float32', made)));
  return { items, weights, made };
}

/** On webgpu an int32 sum or product is refused (no synchronous read for its overflow check): spec/exact.spec.ts. */
const WEBGPU_REFUSAL = /int32 (sums|products) are checked for overflow by a synchronous read, which the webgpu backend cannot do/;

describeOnBackends('reductions against NumPy (spec/fixtures/reductions.json)', (backend) => {
  for (const c of CASES) {
    /** True where this backend documents a refusal for the case and the stream failed with it. */
    const refused = (error: unknown): boolean => backend === 'webgpu' && isIntSum(c) && error instanceof Error && WEBGPU_REFUSAL.test(error.message);
    it(`scan: ${c.name}: the k-th emission is NumPy's reduction of the first k items`, async () => {
      const { items, weights, made } = inputs(c);
      const { emissions, error } = await runStream(from(items).pipe(operators(c).scan({ ...c.options, weights })), false);
      if (refused(error)) return made.forEach((t) => t.dispose());
      expect(error).toBeUndefined();
      expect(emissions.length).withContext('one emission per item').toBe(c.items.length);
      emissions.forEach((e, k) => expectEmission(e, c.expected[k], `emission ${k}`));
      expect(made.every((t) => !t.isDisposed))
        .withContext("the user's tensors are left alone")
        .toBeTrue();
      made.forEach((t) => t.dispose());
    });
    it(`reduce: ${c.name}`, async () => {
      const { items, weights, made } = inputs(c);
      const { emissions, error } = await runStream(from(items).pipe(operators(c).reduce({ ...c.options, weights })), true);
      if (refused(error)) return made.forEach((t) => t.dispose());
      expect(error).toBeUndefined();
      expect(emissions.length).withContext('reduce emits once').toBe(1);
      expectEmission(emissions[0], c.expected[c.expected.length - 1], 'result');
      made.forEach((t) => t.dispose());
    });
  }
});
