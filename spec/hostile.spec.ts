import * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom } from 'rxjs';
import * as api from '../projects/npstreams-rx/src/public-api';
import { MergeError, OptionError, StreamInputError } from '../projects/npstreams-rx/src/public-api';
import { describeOnBackends } from './helpers/backends';
import { runStream, streamError } from './helpers/streams';

// Issue 7: no silent wrong numbers from hostile inputs, user callbacks, bad options and merges.
// Expected values are closed forms or NumPy's (written out where used).

/** The single emission of an owning stream, read. */
async function final(stream: Parameters<typeof runStream>[0]): Promise<number[]> {
  const { emissions, error } = await runStream(stream, true);
  expect(error).withContext('the stream failed').toBeUndefined();
  return (emissions[0] as { values: number[] }).values;
}

describeOnBackends('hostile inputs and weights', (backend) => {
  it('a sparse array ([1, , 3]) as an item or as data is an error naming the hole, not a 0', async () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is what this spec gives
    const sparse = [1, , 3] as number[];
    const err = await streamError(from([[1, 2, 3], sparse]).pipe(api.reduceSum()));
    expect(err).toBeInstanceOf(StreamInputError);
    expect(err.message).toBe('reduceSum: item 1 is a sparse array: [1] is a hole (never assigned); give every element a number');
    const data = await streamError(from([{ data: sparse, shape: [3] }]).pipe(api.reduceMean()));
    expect(data.message).toBe('reduceMean: item 0 is a sparse array: data[1] is a hole (never assigned); give every element a number');
    // eslint-disable-next-line no-sparse-arrays -- as above
    const nested = await streamError(from([[[1, 2], [3, ,] as number[]]]).pipe(api.reduceSum()));
    expect(nested.message).toContain('item 0 is a sparse array: [1][1] is a hole');
  });

  it('a NaN weight is an error naming the item, for average and histogram, scalar or array', async () => {
    const avg = await streamError(
      from([
        [1, 2],
        [3, 4],
      ]).pipe(api.reduceAverage({ weights: [1, NaN] })),
    );
    expect(avg).toBeInstanceOf(StreamInputError);
    expect((avg as StreamInputError).index).toBe(1);
    expect(avg.message).toBe('reduceAverage: the weight of item 1 is NaN');
    const arr = await streamError(
      from([
        [1, 2],
        [3, 4],
      ]).pipe(
        api.reduceAverage({
          weights: [
            [1, 1],
            [1, NaN],
          ],
        }),
      ),
    );
    expect(arr.message).toBe('reduceAverage: the weight of item 1 is NaN at [1] (flat index)');
    const hist = await streamError(from([[0.5], [1.5]]).pipe(api.reduceHistogram([0, 1, 2], { weights: [2, NaN] })));
    expect(hist.message).toBe('reduceHistogram: the weight of item 1 is NaN');
    if (backend !== 'webgpu') {
      // a user's tensor is checked on its device (webgpu cannot read back synchronously)
      const w = [tf.tensor1d([1, 1]), tf.tensor1d([NaN, 1])];
      const t = await streamError(
        from([
          [1, 2],
          [3, 4],
        ]).pipe(api.reduceAverage({ weights: w })),
      );
      expect(t.message).toBe('reduceAverage: the weight of item 1 is NaN at [0] (flat index)');
      w.forEach((x) => x.dispose());
    }
  });

  it('negative weights for var, std, sem are an error (frequency weights, as np.cov refuses negative fweights)', async () => {
    // today: var of [0], [10] with weights [1, -0.5] is -200
    for (const op of [api.reduceVar, api.reduceStd, api.reduceSem]) {
      const err = await streamError(from([[0], [10]]).pipe(op({ weights: [1, -0.5] })));
      expect(err).toBeInstanceOf(StreamInputError);
      expect((err as StreamInputError).index).toBe(1);
      expect(err.message).toMatch(/the weight of item 1 is negative \(-0\.5\); frequency weights count observations/);
    }
    // np.average takes negative weights: (1·0 - 0.5·10) / 0.5 = -10
    expect(await final(from([[0], [10]]).pipe(api.reduceAverage({ weights: [1, -0.5] })))).toEqual([-10]);
  });

  it('a bool item followed by int32 items sums as int32 (bool counts as int32)', async () => {
    const items = [tf.tensor1d([true, false], 'bool'), tf.tensor1d([2, 3], 'int32'), tf.tensor1d([false, true], 'bool')];
    if (backend === 'webgpu') {
      // webgpu refuses int32 sums (spec/exact.spec.ts), but takes the items
      expect(await final(from(items).pipe(api.reduceSum({ dtype: 'float32' })))).toEqual([3, 4]);
    } else {
      const { emissions } = await runStream(from(items).pipe(api.reduceSum()), true);
      expect(emissions[0]).toEqual({ shape: [2], dtype: 'int32', values: [3, 4] });
    }
    items.forEach((t) => t.dispose());
  });

  it('the mean over all axes of empty items is NaN, as np.mean (no weights were given)', async () => {
    const empty = () => tf.tensor1d([], 'float32');
    const items = [empty(), empty()];
    expect(await final(from(items).pipe(api.reduceMean({ axis: null })))).toEqual([NaN]);
    // with weights the sum of the weights is what is refused, as np.average
    const err = await streamError(from(items).pipe(api.reduceAverage({ axis: null, weights: [1, 1] })));
    expect(err.message).toBe('reduceAverage: the weights sum to zero, so the average is undefined');
    items.forEach((t) => t.dispose());
  });

  it('weights that broadcast to the item ([1], [1, w]) are taken, as NumPy broadcasts them', async () => {
    // np.average([[1, 2], [3, 4]] stacked on the last axis, weights [1] and [3] broadcast): (1·1 + 3·3)/4, (2 + 12)/4
    expect(
      await final(
        from([
          [1, 2],
          [3, 4],
        ]).pipe(api.reduceAverage({ weights: [[1], [3]] })),
      ),
    ).toEqual([2.5, 3.5]);
    // np.histogram of [0.5, 1.5] and [0.5, 0.5] with weights [2] and [1] broadcast per item
    expect(
      await final(
        from([
          [0.5, 1.5],
          [0.5, 0.5],
        ]).pipe(api.reduceHistogram([0, 1, 2], { weights: [[2], [1]] })),
      ),
    ).toEqual([4, 2]);
    // frequency weights [[1, 2]] broadcast over rows of [2, 2] items: var per element of [0, 4] weighted 1, 1 and [0, 4] 2, 2
    const v = await final(
      from([
        [
          [0, 0],
          [0, 0],
        ],
        [
          [4, 4],
          [4, 4],
        ],
      ]).pipe(api.reduceVar({ weights: [[[1, 2]], [[1, 2]]] })),
    );
    expect(v).toEqual([4, 4, 4, 4]);
    const bad = await streamError(from([[1, 2]]).pipe(api.reduceAverage({ weights: [[1, 2, 3]] })));
    expect(bad.message).toBe("reduceAverage: the weight of item 0 has shape [3], which does not broadcast to the item's shape [2]");
  });
});

describeOnBackends('user callbacks', () => {
  it('a weights function or iterable that throws: a StreamInputError naming the operator and the item, with the original as cause', async () => {
    const boom = new Error('bad calibration file');
    const fnErr = await streamError(
      from([[1], [2]]).pipe(
        api.reduceAverage({
          weights: (_item: unknown, i: number) => {
            if (i === 1) throw boom;
            return 1;
          },
        }),
      ),
    );
    expect(fnErr).toBeInstanceOf(StreamInputError);
    expect(fnErr.message).toBe('reduceAverage: the weights function threw at item 1: bad calibration file');
    expect((fnErr as StreamInputError).index).toBe(1);
    expect(fnErr.cause).toBe(boom);
    function* weights() {
      yield 1;
      throw 'no more'; // a string, not an Error
    }
    const itErr = await streamError(from([[1], [2]]).pipe(api.reduceVar({ weights: weights() })));
    expect(itErr.message).toBe('reduceVar: the weights\' iterable threw at item 1: "no more" (not an Error)');
    expect(itErr.cause).toBe('no more');
  });

  it('a user ufunc that throws (an Error or a string), returns undefined or a tensor of another shape: an error naming the item', async () => {
    const boom = new Error('boom');
    // the fn is first called for item 1 (item 0 starts the running value)
    const throwing = await streamError(
      from([[1], [2], [3]]).pipe(
        api.reduceUfunc({
          fn: (_a: tf.Tensor, _b: tf.Tensor): tf.Tensor => {
            throw boom;
          },
        }),
      ),
    );
    expect(throwing).toBeInstanceOf(StreamInputError);
    expect(throwing.message).toBe("reduceUfunc: item 1: the ufunc's fn threw: boom");
    expect(throwing.cause).toBe(boom);
    const str = await streamError(
      from([[1], [2]]).pipe(
        api.reduceUfunc({
          fn: (_a: tf.Tensor, _b: tf.Tensor): tf.Tensor => {
            throw 'nope';
          },
        }),
      ),
    );
    expect(str.message).toBe('reduceUfunc: item 1: the ufunc\'s fn threw: "nope" (not an Error)');
    expect(str.cause).toBe('nope');
    const none = await streamError(from([[1], [2]]).pipe(api.reduceUfunc({ fn: (_a: tf.Tensor, _b: tf.Tensor) => undefined as unknown as tf.Tensor })));
    expect(none.message).toBe("reduceUfunc: item 1: the ufunc's fn returned undefined, not a tf.Tensor");
    const shaped = await streamError(
      from([
        [1, 2],
        [3, 4],
      ]).pipe(api.reduceUfunc({ fn: (a: tf.Tensor, b: tf.Tensor) => tf.concat([a, b]) })),
    );
    expect(shaped.message).toBe("reduceUfunc: item 1: the ufunc's fn returned shape [4] for operands [2] and [2]; a binary ufunc gives [2]");
  });

  it('a user ufunc of one argument is refused when the operator is made (npstreams rejects non-binary ufuncs)', () => {
    expect(() => api.scanUfunc({ fn: (a: tf.Tensor) => tf.neg(a) } as never)).toThrowError(OptionError, 'scanUfunc: a ufunc is binary, fn(a, b); this fn takes one argument');
  });
});

describe('options are checked when the operator is made', () => {
  it('ddof that is not a non-negative integer', () => {
    for (const ddof of [NaN, 'x', -1, 1.5]) {
      expect(() => api.reduceVar({ ddof } as never))
        .withContext(String(ddof))
        .toThrowError(OptionError, /^reduceVar: ddof must be a non-negative integer; received /);
    }
    expect(() => api.partials.sem({ ddof: -2 })).toThrowError(OptionError, /partials.sem: ddof/);
  });

  it('dtype other than float32 and int32 (float64, int8, complex64)', () => {
    for (const dtype of ['float64', 'int8', 'complex64']) {
      expect(() => api.reduceSum({ dtype } as never)).toThrowError(OptionError, `reduceSum: dtype must be 'float32' or 'int32' (the dtypes the kernels compute in); received '${dtype}'`);
      expect(() => api.scanMean({ dtype } as never)).toThrowError(OptionError, /^scanMean: dtype must be/);
    }
  });

  it('bins that are null or not an array of increasing numbers', () => {
    expect(() => api.reduceHistogram(null as never)).toThrowError(OptionError, 'reduceHistogram: bins must be an array of increasing edges; received null');
    expect(() => api.reduceHistogram(['a', 'b'] as never)).toThrowError(OptionError, 'reduceHistogram: bins must be numbers; edge 0 is string');
    expect(() => api.reduceHistogram([0, NaN, 2])).toThrowError(OptionError, 'reduceHistogram: bins must be numbers; edge 1 is NaN');
    expect(() => api.scanHistogram([3, 2, 1])).toThrowError(OptionError, /edge 1 \(2\) is below edge 0 \(3\)/);
  });

  it('einsum subscripts that are not a string, or name the output twice', () => {
    expect(() => api.scanEinsum(5 as never)).toThrowError(OptionError, "scanEinsum: subscripts must be a string such as 'ij,jk->ik'; received 5");
    expect(() => api.scanEinsum('i,i->->i')).toThrowError(OptionError, "scanEinsum: 'i,i->->i' has 2 '->'; at most one may name the output");
  });

  it('ignoreNaN on a ufunc without an identity is an error, as npstreams; scanMax({ ignoreNaN }) stays fmax', async () => {
    expect(() => api.scanUfunc('maximum', { ignoreNaN: true })).toThrowError(OptionError, "scanUfunc: ignoreNaN replaces NaNs by the ufunc's identity, and maximum has none");
    expect(() => api.partials.ufunc('minimum', { ignoreNaN: true })).toThrowError(OptionError, /minimum has none/);
    expect(() => api.reduceMax({ ignoreNaN: 'yes' } as never)).toThrowError(OptionError, 'reduceMax: ignoreNaN must be true or false; received string');
    await api.useBackend('cpu');
    expect(
      await final(
        from([
          [NaN, 1],
          [2, NaN],
        ]).pipe(api.reduceMax({ ignoreNaN: true })),
      ),
    ).toEqual([2, 1]);
  });
});

describeOnBackends('partial results that cannot merge', () => {
  it('partials of two different statistics: a MergeError naming both, not a TypeError from inside', async () => {
    const mean = await lastValueFrom(from([[1, 2]]).pipe(api.partials.mean()));
    const variance = await lastValueFrom(from([[1, 2]]).pipe(api.partials.var()));
    const ddof1 = await lastValueFrom(from([[1, 2]]).pipe(api.partials.var({ ddof: 1 })));
    expect(() => api.mergePartials(mean as never, variance as never)).toThrowError(
      MergeError,
      'mergePartials: partial results of different statistics cannot merge: partials.mean {} and partials.var {}',
    );
    expect(() => api.mergePartials(variance, ddof1)).toThrowError(MergeError, /partials.var \{\} and partials.var \{"ddof":1\}/);
    [mean, variance, ddof1].forEach((p) => api.disposePartial(p as never));
  });

  it('partials of items of different shapes: a MergeError, not a silent broadcast', async () => {
    const a = await lastValueFrom(from([[1, 2]]).pipe(api.partials.sum()));
    const b = await lastValueFrom(from([[1]]).pipe(api.partials.sum()));
    expect(() => api.mergePartials(a, b)).toThrowError(MergeError, /mergePartials: the partial results hold states of different shapes or dtypes \(\[2, 2\] and \[2, 1\]\)/);
    [a, b].forEach((p) => api.disposePartial(p));
  });
});
