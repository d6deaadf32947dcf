import * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom, toArray } from 'rxjs';
import { cyclic, linspace, multilinspace, nanToNum, nanToNumArray, reduceSum, stack } from '../projects/npstreams-rx/src/public-api';
import { describeOnBackends } from './helpers/backends';
import { runStream, streamError } from './helpers/streams';

describe('sources', () => {
  it('linspace is np.linspace, with and without the endpoint', async () => {
    expect(await lastValueFrom(linspace(0, 1, 5).pipe(toArray()))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(await lastValueFrom(linspace(0, 1, 5, false).pipe(toArray()))).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8]);
    expect(await lastValueFrom(linspace(2, 3, 1).pipe(toArray()))).toEqual([2]);
    expect(() => linspace(0, 1, -1)).toThrowError(/num must be a non-negative integer/);
  });

  it('multilinspace spaces arrays elementwise', async () => {
    expect(await lastValueFrom(multilinspace([0, 10], [1, 20], 3).pipe(toArray()))).toEqual([
      [0, 10],
      [0.5, 15],
      [1, 20],
    ]);
    expect(() => multilinspace([0], [1, 2], 3)).toThrowError(/starts and stops differ in length \(1 and 2\)/);
  });

  it('cyclic gives every rotation, starting with the items themselves', async () => {
    expect(await lastValueFrom(cyclic([1, 2, 3]).pipe(toArray()))).toEqual([
      [1, 2, 3],
      [2, 3, 1],
      [3, 1, 2],
    ]);
  });
});

describeOnBackends('array utilities', () => {
  it('stack: axis -1 stacks along a new last axis (np.stack); an existing axis concatenates, as npstreams', async () => {
    const items = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    const last = await runStream(from(items).pipe(stack()), true);
    expect(last.emissions[0]).toEqual({ shape: [2, 3], dtype: 'float32', values: [1, 3, 5, 2, 4, 6] });
    const along0 = await runStream(from(items).pipe(stack({ axis: 0 })), true);
    expect(along0.emissions[0]).toEqual({ shape: [6], dtype: 'float32', values: [1, 2, 3, 4, 5, 6] });
    // np.concatenate([[[1, 2]], [[3, 4], [5, 6]]], axis=0) and ([[[1], [2]], [[3, 4], [5, 6]]], axis=1)
    const rows = await runStream(
      from([
        [[1, 2]],
        [
          [3, 4],
          [5, 6],
        ],
      ]).pipe(stack({ axis: 0 })),
      true,
    );
    expect(rows.emissions[0]).toEqual({ shape: [3, 2], dtype: 'float32', values: [1, 2, 3, 4, 5, 6] });
    const cols = await runStream(
      from([
        [[1], [2]],
        [
          [3, 4],
          [5, 6],
        ],
      ]).pipe(stack({ axis: 1 })),
      true,
    );
    expect(cols.emissions[0]).toEqual({ shape: [2, 3], dtype: 'float32', values: [1, 3, 4, 2, 5, 6] });
    expect((await streamError(from(items).pipe(stack({ axis: 3 })))).message).toBe('stack: axis 3 is out of range for items of rank 1: -1 (or 1) stacks along a new axis, 0..0 concatenates along one');
    expect((await streamError(from([[[1, 2]], [[3, 4, 5]]]).pipe(stack({ axis: 0 })))).message).toBe(
      'stack: item 1: has shape [1, 3]; concatenating along axis 0 needs the shape of item 0, [1, 2], in every axis but 0',
    );
  });

  it('nanToNum replaces NaNs, as an operator feeding a reduction and on one array', async () => {
    const { emissions } = await runStream(
      from([
        [1, NaN],
        [NaN, 2],
      ]).pipe(nanToNum(), reduceSum()),
      true,
    );
    expect(emissions[0].values).toEqual([1, 2]);
    const seen = await runStream(from([[NaN, Infinity]]).pipe(nanToNum(7)), false);
    expect(seen.emissions[0].values).toEqual([7, Infinity]);
    const before = tf.memory().numTensors;
    const one = nanToNumArray({ data: new Float32Array([NaN, -1]), shape: [2] }, 3);
    expect(Array.from(await one.data())).toEqual([3, -1]);
    one.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
