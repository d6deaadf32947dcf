import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { encodeArray, reduceMean, useBackend } from '../projects/npstreams-rx/src/public-api';
import { foldFiles, load } from '../projects/npstreams-rx/node/src/public-api';

// foldFiles: the mean (or sum) of files folded by threads, each its own part of every frame.
// Expected values are float64 means of the float32 values (computed here); tolerance: one float32
// rounding of the result (relative 6e-8, taken as 1.2e-7 of max(|v|, 1)). Frames of 301x437
// elements (n mod 4 = 1: the kernel's JS tail) make two slabs with two threads.

const H = 301;
const W = 437;
const N = H * W;

/** A .npy of little-endian samples (descr '<f4', '<u2'), as NumPy writes it. */
function npy(data: Float32Array | Uint16Array | Int16Array, shape: number[]): Uint8Array {
  const descr = data instanceof Float32Array ? '<f4' : data instanceof Int16Array ? '<i2' : '<u2';
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  dict = dict.padEnd(Math.ceil((dict.length + 11) / 64) * 64 - 11, ' ') + '\n';
  const out = new Uint8Array(10 + dict.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, dict.length, true);
  out.set(new TextEncoder().encode(dict), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + dict.length);
  return out;
}

const floatFrame = (k: number) => Float32Array.from({ length: N }, (_, i) => Math.fround(Math.sin(i * 0.37 + k) * 1000 + (i % 97) * 0.001 * (k + 1)));
const intFrame = (k: number) => Uint16Array.from({ length: N }, (_, i) => (i * 7919 + k * 104729) % 65536);
const signedFrame = Int16Array.from({ length: N }, (_, i) => ((i * 31337) % 65536) - 32768);

function expectMean(actual: ArrayLike<number>, frames: ArrayLike<number>[]): void {
  let worst = 0;
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (const f of frames) s += f[i];
    const want = s / frames.length;
    worst = Math.max(worst, Math.abs(actual[i] - want) / Math.max(Math.abs(want), 1));
  }
  expect(worst).withContext('largest relative difference from the float64 mean').toBeLessThanOrEqual(1.2e-7);
}

describe('foldFiles: the mean of files, folded by threads', () => {
  let dir: string;
  const path = (name: string) => join(dir, name);
  const floats = Array.from({ length: 6 }, (_, k) => floatFrame(k));

  beforeAll(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'npstreams-rx-fold-'));
    floats.forEach((f, k) => writeFileSync(path(`f${k}.npy`), npy(f, [H, W])));
    for (let k = 0; k < 3; k++) writeFileSync(path(`u${k}.npy`), npy(intFrame(k), [H, W]));
    writeFileSync(path('s.npy'), npy(signedFrame, [H, W]));
    // a 16-bit TIFF as utif2 writes it (big-endian: not raw here, decoded whole)
    const tiffFrame = { data: Int32Array.from(intFrame(3)), shape: [H, W], dtype: 'int32' as const };
    writeFileSync(path('u3.tif'), await encodeArray(tiffFrame, { format: 'tiff', depth: 16 }));
    writeFileSync(path('bad.npy'), npy(floats[0], [H, W]).subarray(0, 5000));
    writeFileSync(path('small.npy'), npy(new Float32Array(12), [3, 4]));
    writeFileSync(path('big.npy'), npy(new Float32Array([3e38, -1, NaN, 1]), [4]));
    writeFileSync(path('big2.npy'), npy(new Float32Array([3e38, 2, 1, Infinity]), [4]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('float32 .npy on 1 and 2 threads: the float64 mean within one rounding, the same bits as load + reduceMean (wasm)', async () => {
    const paths = floats.map((_, k) => path(`f${k}.npy`));
    const before = tf.memory().numTensors;
    const progress: [number, number][] = [];
    const one = await foldFiles(paths, { workers: 1, onProgress: (files, frames) => progress.push([files, frames]) });
    const two = await foldFiles(paths, { workers: 2 });
    const operator = await lastValueFrom(load(paths).pipe(reduceMean()));
    expect(one.frames).toBe(6);
    expect(one.shape).toEqual([H, W]);
    expect(one.dtype).toBe('float32');
    expect(one.result.shape).toEqual([H, W]);
    expect(progress[progress.length - 1]).toEqual([6, 6]);
    const [a, b, c] = [one.result.dataSync(), two.result.dataSync(), operator.dataSync()];
    expectMean(a, floats);
    expect(new Uint32Array(b.buffer)).toEqual(new Uint32Array(a.buffer));
    expect(new Uint32Array(c.buffer)).toEqual(new Uint32Array(a.buffer));
    tf.dispose([one.result, two.result, operator]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('16-bit .npy read raw (uint16, int16) and a big-endian 16-bit TIFF decoded whole, with skipBad: the missing and the truncated reported, named', async () => {
    const skipped: string[] = [];
    const paths = [path('u0.npy'), path('missing.npy'), path('u1.npy'), path('bad.npy'), path('u3.tif'), path('u2.npy'), path('s.npy')];
    const r = await foldFiles(paths, { workers: 2, skipBad: true, onSkip: (e) => skipped.push(e.message) });
    expect(skipped.length).toBe(2);
    expect(skipped[0]).toMatch(/missing\.npy: cannot be read: ENOENT/);
    expect(skipped[1]).toMatch(/bad\.npy: cannot be decoded as npy: truncated/);
    expect(r.skipped.map((e) => e.file)).toEqual([path('missing.npy'), path('bad.npy')]);
    expect([r.frames, r.dtype]).toEqual([5, 'int32']);
    expectMean(r.result.dataSync(), [intFrame(0), intFrame(1), intFrame(3), intFrame(2), signedFrame]);
    r.result.dispose();
  });

  it('errors: a file named (no skipBad), a frame of another shape (its item index), an integer sum, no frame at all', async () => {
    await expectAsync(foldFiles([path('f0.npy'), path('bad.npy')], { workers: 2 })).toBeRejectedWith(
      jasmine.objectContaining({ name: 'FileFormatError', file: path('bad.npy'), index: 1, message: jasmine.stringMatching(/bad\.npy: cannot be decoded as npy: truncated/) }),
    );
    await expectAsync(foldFiles([path('f0.npy'), path('f1.npy'), path('small.npy')])).toBeRejectedWith(
      jasmine.objectContaining({ name: 'StreamInputError', index: 2, message: `reduceMean: item 2 has shape [3, 4], expected [${H}, ${W}] (the shape of item 0)` }),
    );
    await expectAsync(foldFiles([path('u0.npy')], { statistic: 'sum' })).toBeRejectedWith(jasmine.objectContaining({ name: 'OptionError' }));
    await expectAsync(foldFiles([path('missing.npy')], { skipBad: true, onSkip: () => undefined })).toBeRejectedWith(jasmine.objectContaining({ name: 'EmptyStreamError' }));
    await expectAsync(foldFiles([path('f0.npy')], { workers: 0 })).toBeRejectedWith(jasmine.objectContaining({ name: 'OptionError' }));
    // 1 ms: no thread even starts within it, so the first file is past its deadline
    await expectAsync(foldFiles([path('f0.npy'), path('f1.npy')], { deadline: 1 })).toBeRejectedWith(
      jasmine.objectContaining({ name: 'FileFormatError', file: path('f0.npy'), message: `${path('f0.npy')}: no decision within the deadline of 1 ms: its thread was stopped` }),
    );
  });

  it('16-bit PNG on 2 threads: two decode, a third folds; the same bits as 1 thread and load + reduceMean; skipBad reported in order', async () => {
    const frames = [0, 1, 2, 3, 4].map(intFrame);
    for (const [k, f] of frames.entries()) writeFileSync(path(`p${k}.png`), await encodeArray({ data: Int32Array.from(f), shape: [H, W], dtype: 'int32' }, { format: 'png' }));
    const png = readFileSync(path('p0.png'));
    writeFileSync(path('bad.png'), png.subarray(0, png.length >> 1));
    writeFileSync(path('small.png'), await encodeArray({ data: new Int32Array(12), shape: [3, 4], dtype: 'int32' }, { format: 'png' }));
    const paths = frames.map((_, k) => path(`p${k}.png`));
    const before = tf.memory().numTensors;
    const progress: [number, number][] = [];
    const one = await foldFiles(paths, { workers: 1 });
    const two = await foldFiles(paths, { workers: 2, onProgress: (files, n) => progress.push([files, n]) });
    const operator = await lastValueFrom(load(paths).pipe(reduceMean()));
    expect([one.threads, one.decoders, two.threads, two.decoders]).toEqual([1, 0, 1, 2]);
    expect([two.frames, two.dtype]).toEqual([5, 'int32']);
    expect(progress).toEqual([1, 2, 3, 4, 5].map((k) => [k, k]));
    const [a, b, c] = [one.result.dataSync(), two.result.dataSync(), operator.dataSync()];
    expectMean(b, frames);
    expect(new Uint32Array(b.buffer)).toEqual(new Uint32Array(a.buffer));
    expect(new Uint32Array(b.buffer)).toEqual(new Uint32Array(c.buffer));
    tf.dispose([one.result, two.result, operator]);
    expect(tf.memory().numTensors).toBe(before);

    const skipped: string[] = [];
    const r = await foldFiles([paths[0], path('missing.png'), paths[1], path('bad.png'), paths[2]], { workers: 2, skipBad: true, onSkip: (e) => skipped.push(e.message) });
    expect(skipped.length).toBe(2);
    expect(skipped[0]).toMatch(/missing\.png: cannot be read: ENOENT/);
    expect(skipped[1]).toMatch(/bad\.png: cannot be decoded as png: truncated/);
    expect(r.frames).toBe(3);
    expectMean(r.result.dataSync(), frames.slice(0, 3));
    r.result.dispose();

    await expectAsync(foldFiles([paths[0], path('bad.png'), paths[1]], { workers: 2 })).toBeRejectedWith(
      jasmine.objectContaining({ name: 'FileFormatError', file: path('bad.png'), index: 1, message: jasmine.stringMatching(/bad\.png: cannot be decoded as png: truncated/) }),
    );
    await expectAsync(foldFiles([paths[0], paths[1], path('small.png')], { workers: 2 })).toBeRejectedWith(
      jasmine.objectContaining({ name: 'StreamInputError', index: 2, message: `reduceMean: item 2 has shape [3, 4], expected [${H}, ${W}] (the shape of item 0)` }),
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('special values as NumPy float32: a sum that overflows is inf, inf stays inf, NaN propagates', async () => {
    const r = await foldFiles([path('big.npy'), path('big2.npy')], { statistic: 'sum' });
    // np.sum(np.stack([a, b], -1), -1) in float32: [inf, 1, nan, inf]
    expect(Array.from(r.result.dataSync())).toEqual([Infinity, 1, NaN, Infinity]);
    r.result.dispose();
  });
});
