import * as tf from '@tensorflow/tfjs-core';
import { EMPTY, from, throwError, concat, of } from 'rxjs';
import {
  EmptyStreamError,
  OptionError,
  StreamInputError,
  lastValue,
  reduceAverage,
  reduceMean,
  reduceSum,
  reduceUfunc,
  reduceHistogram,
  scanHistogram,
  scanAverage,
  scanDot,
  scanEinsum,
  scanMean,
  scanSub,
  scanSum,
  scanUfunc,
} from '../projects/npstreams-rx/src/public-api';
import { describeOnBackends } from './helpers/backends';
import { runStream, streamError } from './helpers/streams';

describeOnBackends('bad input', () => {
  it('an item whose shape differs from the first names its index and both shapes', async () => {
    const err = await streamError(
      from([
        [1, 2, 3],
        [4, 5, 6],
        [[1], [2]],
      ]).pipe(scanMean()),
      false,
    );
    expect(err).toBeInstanceOf(StreamInputError);
    expect((err as StreamInputError).index).toBe(2);
    expect(err.message).toBe('scanMean: item 2 has shape [2, 1], expected [3] (the shape of item 0)');
  });

  it('an item that is not an array names its index and type', async () => {
    const items = [[1, 2], 'frame.tif', null, { width: 2 }] as unknown as number[][];
    const err = await streamError(from(items).pipe(reduceSum()));
    expect(err.message).toBe('reduceSum: item 1 is not an array: received string');
    expect((await streamError(from([[1, 2], null as unknown as number[]]).pipe(reduceSum()))).message).toBe('reduceSum: item 1 is not an array: received null');
    expect((await streamError(from([{ width: 2 } as unknown as number[]]).pipe(reduceSum()))).message).toBe('reduceSum: item 0 is not an array: received object with keys {width}');
  });

  it('ragged nested arrays and non-numbers inside arrays are named with their position', async () => {
    expect((await streamError(from([[[1, 2], [3]]]).pipe(reduceMean()))).message).toBe('reduceMean: item 0 is a ragged nested array: [1] has length 1, expected 2');
    expect((await streamError(from([[[1, 2]], [[3, '4']]] as unknown as number[][][]).pipe(reduceMean()))).message).toBe('reduceMean: item 1 has a string at [0][1]; expected a number');
  });

  it('{data, shape} whose data does not fill the shape, or whose shape is invalid', async () => {
    const err = await streamError(from([{ data: new Float32Array(5), shape: [2, 3] }]).pipe(reduceSum()));
    expect(err.message).toBe('reduceSum: item 0 has 5 data values for shape [2, 3], which needs 6');
    const bad = await streamError(from([{ data: [1, 2], shape: [2.5] }]).pipe(reduceSum()));
    expect(bad.message).toContain('item 0 has an invalid shape [2.5]');
  });

  it('a later item whose dtype cannot be cast safely to the first one is an error, not a silent truncation', async () => {
    const items = [
      { data: new Int32Array([1, 2]), shape: [2] },
      { data: new Float32Array([0.5, 1]), shape: [2] },
    ];
    const err = await streamError(from(items).pipe(scanSum()), false);
    expect(err.message).toBe('scanSum: item 1 has dtype float32, expected int32 (the dtype of item 0); cast it before the operator');
  });

  it('a disposed tensor and unsupported typed arrays are named', async () => {
    const t = tf.tensor([1, 2]);
    t.dispose();
    expect((await streamError(from([t]).pipe(reduceSum()))).message).toBe('reduceSum: item 0 is a disposed tf.Tensor');
    expect((await streamError(from([new Uint32Array([1, 0xffffffff])]).pipe(reduceSum()))).message).toContain('item 0 is a Uint32Array with 4294967295 at [1], beyond int32');
  });

  it('weights that run out before the stream, or have the wrong shape, are errors', async () => {
    const ran = await streamError(from([[1], [2], [3]]).pipe(reduceAverage({ weights: [1, 2] })));
    expect(ran.message).toBe('reduceAverage: the weights ran out at item 2: the iterable gave only 2 weights');
    const shaped = await streamError(from([[1, 2]]).pipe(scanAverage({ weights: [[1, 2, 3]] })), false);
    expect(shaped.message).toBe("scanAverage: the weight of item 0 has shape [3], which does not broadcast to the item's shape [2]");
    const zero = await streamError(from([[1, 2]]).pipe(reduceAverage({ weights: [0] })));
    expect(zero.message).toBe('reduceAverage: the weights sum to zero, so the average is undefined');
  });

  it('weights may be a function of (item, index) or a generator, consumed in lockstep', async () => {
    // closed form: (1·[1, 2] + 2·[3, 4] + 3·[5, 6]) / (1 + 2 + 3) = [22/6, 28/6]
    const items = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const seen: unknown[] = [];
    const byIndex = (item: unknown, i: number) => (seen.push(item), i + 1);
    function* oneTwoThree() {
      yield* [1, 2, 3];
    }
    for (const weights of [byIndex, oneTwoThree()]) {
      const { emissions } = await runStream(from(items).pipe(reduceAverage({ weights })), true);
      expect(emissions[0].values[0]).toBeCloseTo(22 / 6, 5);
      expect(emissions[0].values[1]).toBeCloseTo(28 / 6, 5);
    }
    expect(seen).withContext('the function sees each item as it was given').toEqual(items);
  });

  it('ufunc options are checked when the operator is made', () => {
    expect(() => scanUfunc('frobnicate')).toThrowError(OptionError, /there is no ufunc named 'frobnicate'; known: add, subtract/);
    expect(() => scanUfunc('subtract', { ignoreNaN: true })).toThrowError(OptionError, "scanUfunc: ignoreNaN replaces NaNs by the ufunc's identity, and subtract has none");
    expect(() => scanSub({ axis: null })).toThrowError(OptionError, /subtract is not associative, so it cannot reduce over all axes/);
    expect(() => reduceUfunc({} as never)).toThrowError(OptionError, /a ufunc is a registered name or \{ fn/);
  });

  it('histogram bins must be at least two edges, increasing monotonically (as np.histogram)', () => {
    expect(() => scanHistogram([0, 1, 0.5])).toThrowError(OptionError, 'scanHistogram: bins must increase monotonically; edge 2 (0.5) is below edge 1 (1)');
    expect(() => reduceHistogram([1])).toThrowError(OptionError, 'reduceHistogram: bins must be at least 2 edges; received 1');
  });

  it('a product whose shapes do not chain names the item and both shapes', async () => {
    const items = [
      { data: new Float32Array(6), shape: [2, 3] },
      { data: new Float32Array(8), shape: [4, 2] },
    ];
    const err = await streamError(from(items).pipe(scanDot()), false);
    expect(err).toBeInstanceOf(StreamInputError);
    expect(err.message).toBe('scanDot: item 1: shapes [2, 3] and [4, 2] cannot be contracted over axes [-1] and [-2]');
    expect(() => scanEinsum('ij,jk,kl->il')).toThrowError(OptionError, /must name two operands/);
    expect(() => scanEinsum('ii,ij->j')).toThrowError(OptionError, /repeats an index within one operand/);
  });

  it('a bitwise ufunc on float data is an error naming the dtype', async () => {
    const err = await streamError(from([[1.5, 2]]).pipe(reduceUfunc('bitwiseOr')));
    expect(err.message).toBe('reduceUfunc: bitwiseOr is not defined for float32 items');
  });

  it("a user's ufunc built from tfjs ops, with its identity for ignoreNaN", async () => {
    // closed form: Σ|x| over the stream, NaN replaced by the identity 0
    const absSum = { fn: (a: tf.Tensor, b: tf.Tensor) => tf.add(tf.abs(a), tf.abs(b)), identity: 0 };
    const { emissions } = await runStream(
      from([
        [-1, 2],
        [3, NaN],
        [-4, -5],
      ]).pipe(reduceUfunc(absSum, { ignoreNaN: true })),
      true,
    );
    expect(emissions[0].values).toEqual([8, 7]);
  });

  it('invalid options throw when the operator is made', () => {
    expect(() => scanSum({ axis: 1.5 })).toThrowError(OptionError, /axis must be an integer/);
    expect(() => reduceAverage({ weights: 3 as unknown as number[] })).toThrowError(OptionError, /weights must be an iterable/);
  });

  it('an axis beyond the stacked rank is an error naming the rank', async () => {
    const err = await streamError(from([[[1, 2]]]).pipe(reduceSum({ axis: -4 })));
    expect(err).toBeInstanceOf(OptionError);
    expect(err.message).toBe('reduceSum: axis -4 is out of range for items of rank 2 (stacked rank 3)');
  });

  it('reduceX and lastValue on an empty stream error with EmptyStreamError; scanX completes silently', async () => {
    for (const op of [reduceSum(), reduceMean(), reduceAverage({ weights: [] })]) {
      expect(await streamError(EMPTY.pipe(op))).toBeInstanceOf(EmptyStreamError);
    }
    const err = await streamError(EMPTY.pipe(scanMean(), lastValue()));
    expect(err).toBeInstanceOf(EmptyStreamError);
    expect(err.message).toContain('lastValue: the stream completed without emitting any array');
    const { emissions, completed } = await runStream(EMPTY.pipe(scanSum()), false);
    expect(emissions).toEqual([]);
    expect(completed).toBeTrue();
  });

  it("a source error is passed on, after the operator's tensors are freed", async () => {
    const boom = new Error('camera unplugged');
    const source = concat(
      of([1, 2], [3, 4]),
      throwError(() => boom),
    );
    expect(await streamError(source.pipe(scanMean()), false)).toBe(boom);
    expect(await streamError(source.pipe(reduceMean()))).toBe(boom);
  });

  it('NaNs propagate unless ignoreNaN', async () => {
    const { emissions } = await runStream(
      from([
        [1, NaN],
        [3, 4],
      ]).pipe(reduceMean()),
      true,
    );
    expect(Number.isNaN(emissions[0].values[1])).toBeTrue();
    expect(emissions[0].values[0]).toBe(2);
  });
});
