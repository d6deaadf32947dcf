import * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom, toArray } from 'rxjs';
import { FileFormatError, type Frame, type LoadedFrame, decodeFile, encodeArray, load, loadWith, reduceMean } from '../projects/npstreams-rx/src/public-api';
import { encode as encodePng } from 'fast-png';
import expectedJson from './fixtures/io/expected.json';
import { useCodecsWasm } from '../projects/npstreams-rx/src/lib/io/codecs';
import { describeOnBackends } from './helpers/backends';
import { fixtureBytes, fixtureUrl, fromJson } from './helpers/fixture-files';

interface Expected {
  shape?: number[];
  dtype?: string;
  values?: (number | string | null)[];
  error?: string;
}
const EXPECTED = expectedJson as Record<string, Expected>;
const FILES = [...new Set(Object.keys(EXPECTED).map((k) => k.replace(/#\d+$/, '')))];
const isBrowser = typeof window !== 'undefined';
/** float32 values at the edges: signed zeros, NaN, infinities, the largest and the smallest (subnormal) */
const special = [0, -0, 1.5, NaN, Infinity, -Infinity, 3.4028234663852886e38, 1.401298464324817e-45];

/** Exact equality, NaN equal to NaN (the values are float32 or integers, both exact in float64). */
function expectValues(actual: ArrayLike<number>, expected: number[], tolerance = 0, context = ''): void {
  expect(actual.length).withContext(`${context}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const d = Number.isNaN(e) ? (Number.isNaN(a) ? 0 : Infinity) : a === e ? 0 : Math.abs(a - e);
    if (d > worst) [worst, at] = [d, i];
  }
  expect(worst).withContext(`${context}: largest difference, at flat index ${at} (${actual[at]} vs ${expected[at]})`).toBeLessThanOrEqual(tolerance);
}

function expectFrame(frame: Frame, key: string): void {
  const e = EXPECTED[key];
  expect(frame.shape).withContext(`${key}: shape`).toEqual(e.shape!);
  expect(frame.dtype)
    .withContext(`${key}: dtype`)
    .toBe(e.dtype as Frame['dtype']);
  // JPEG (files, and strips or tiles of TIFFs) is lossy: the decoder here (the browser's, or
  // libjpeg-turbo in Node) and ImageMagick's (libjpeg) may round an IDCT differently
  expectValues(frame.data, fromJson(e.values!), /\.jpg$|-jpeg(-tiles)?\.tif$/.test(key) ? 2 : 0, key);
}

describe('loaders: files written by NumPy, ImageMagick and libtiff', () => {
  for (const file of FILES) {
    const e = EXPECTED[file];
    if (e.error) {
      it(`${file}: refused, naming the file and the reason`, async () => {
        const bytes = await fixtureBytes(`io/${file}`);
        await expectAsync(decodeFile(bytes, file)).toBeRejectedWith(jasmine.objectContaining({ name: 'FileFormatError', file, message: jasmine.stringContaining(e.error!) }));
      });
    } else {
      it(`${file}: ${e.dtype} ${JSON.stringify(e.shape)}`, async () => {
        const frames = await decodeFile(await fixtureBytes(`io/${file}`), file);
        const pages = Object.keys(EXPECTED).filter((k) => k === file || k.startsWith(`${file}#`));
        expect(frames.length).withContext('frames (pages)').toBe(pages.length);
        frames.forEach((f, k) => expectFrame(f, k === 0 ? file : `${file}#${k}`));
      });
    }
  }

  it("samples stored in the machine's order are views of the file's bytes, in the width they are stored in", async () => {
    // little-endian data, aligned: no copy (the reduction reads the file's own memory)
    for (const [file, type] of [
      ['f4.npy', Float32Array],
      ['u2.npy', Uint16Array],
      ['i1.npy', Int8Array],
      ['i4.npy', Int32Array],
      ['gray16.tif', Uint16Array],
    ] as const) {
      const bytes = await fixtureBytes(`io/${file}`);
      const [frame] = await decodeFile(bytes, file);
      expect(frame.data).withContext(file).toBeInstanceOf(type);
      expect(frame.data.buffer).withContext(`${file}: a view of the file's bytes`).toBe(bytes.buffer);
    }
    // big-endian samples are copied into the machine's order; compressed ones are decoded
    for (const file of ['i2-big-endian.npy', 'gray16-big-endian-strips.tif', 'gray16-lzw-predictor-strips.tif', 'gray16-filters.png']) {
      const bytes = await fixtureBytes(`io/${file}`);
      const [frame] = await decodeFile(bytes, file);
      expect(frame.data.BYTES_PER_ELEMENT).withContext(`${file}: 16-bit samples stay 16-bit`).toBe(2);
      expect(frame.data.buffer).withContext(file).not.toBe(bytes.buffer);
    }
  });

  it('the JavaScript loops that run where wasm cannot (LZW, 16-bit PNG rows) decode every file to the same values', async () => {
    useCodecsWasm(false);
    try {
      for (const file of FILES.filter((f) => /\.(tif|png)$/.test(f) && !EXPECTED[f].error)) {
        const frames = await decodeFile(await fixtureBytes(`io/${file}`), file);
        frames.forEach((f, k) => expectFrame(f, k === 0 ? file : `${file}#${k}`));
      }
    } finally {
      useCodecsWasm(true);
    }
  });

  it('picks the format by content before the extension, and by extension for content it does not know', async () => {
    const png = await fixtureBytes('io/gray8.png');
    expectFrame((await decodeFile(png, 'misnamed.npy'))[0], 'gray8.png');
    await expectAsync(decodeFile(new Uint8Array([1, 2, 3]), 'x.tif')).toBeRejectedWith(jasmine.objectContaining({ message: jasmine.stringContaining('x.tif: cannot be decoded as tiff') }));
    await expectAsync(decodeFile(new Uint8Array([1, 2, 3]), 'notes.txt')).toBeRejectedWith(
      jasmine.objectContaining({ message: jasmine.stringContaining('notes.txt: not a .npy, PNG, TIFF or JPEG file') }),
    );
    await expectAsync(decodeFile(new Uint8Array(0), 'empty.png')).toBeRejectedWith(jasmine.objectContaining({ message: jasmine.stringContaining('empty.png') }));
  });

  it('a loader function is used as given; what it throws comes back naming the file, with cause', async () => {
    const bytes = await fixtureBytes('io/f4.npy');
    const frames = await decodeFile(bytes, 'f4.npy', (b) => ({ data: new Float32Array([b.length]), shape: [1], dtype: 'float32' }));
    expect(Array.from(frames[0].data)).toEqual([bytes.length]);
    const boom = new Error('boom');
    await expectAsync(
      decodeFile(bytes, 'f4.npy', () => {
        throw boom;
      }),
    ).toBeRejectedWith(jasmine.objectContaining({ message: 'f4.npy: cannot be decoded by the given loader: boom', cause: boom }));
  });
});

describe('encodeArray: what the loaders read back', () => {
  it('.npy of float32, int32 and bool, any rank, bit for bit', async () => {
    const cases: Frame[] = [
      { data: new Float32Array(special), shape: [2, 4], dtype: 'float32' },
      { data: new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0, 5, 6, 7]), shape: [1, 2, 3], dtype: 'int32' },
      { data: new Uint8Array([1, 0, 1]), shape: [3], dtype: 'bool' },
      { data: new Float32Array([2.5]), shape: [], dtype: 'float32' },
    ];
    for (const frame of cases) {
      const bytes = await encodeArray(frame);
      expect(bytes.length % 64)
        .withContext('64-byte aligned data, as NumPy writes')
        .toBe((frame.data.length * frame.data.BYTES_PER_ELEMENT) % 64);
      const [back] = await decodeFile(bytes, 'x.npy');
      expect(back.shape).toEqual(frame.shape);
      expect(back.dtype).toBe(frame.dtype);
      expectValues(back.data, Array.from(frame.data), 0, frame.dtype);
    }
  });
});

describeOnBackends('encodeArray of a tensor', () => {
  it('.npy from a tensor (read asynchronously), the tensor left to its owner', async () => {
    const before = tf.memory().numTensors;
    const t = tf.tensor2d([
      [1, 2],
      [3, 4.25],
    ]);
    const [back] = await decodeFile(await encodeArray(t), 'x.npy');
    expect(Array.from(back.data)).toEqual([1, 2, 3, 4.25]);
    expect(t.isDisposed).toBeFalse();
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('encodeArray: PNG and TIFF', () => {
  it('PNG, 8 and 16 bits, gray and RGB; values out of range refused, naming the first', async () => {
    const gray: Frame = { data: new Int32Array([0, 65535, 300, 7, 40000, 1]), shape: [2, 3], dtype: 'int32' };
    const [g16] = await decodeFile(await encodeArray(gray, { format: 'png' }), 'g.png');
    expect(g16.shape).toEqual([2, 3]);
    expect(Array.from(g16.data)).toEqual([0, 65535, 300, 7, 40000, 1]);
    const rgb: Frame = { data: new Int32Array([0, 1, 2, 253, 254, 255]), shape: [1, 2, 3], dtype: 'int32' };
    const [c8] = await decodeFile(await encodeArray(rgb, { format: 'png', depth: 8 }), 'c.png');
    expect(c8.shape).toEqual([1, 2, 3]);
    expect(Array.from(c8.data)).toEqual([0, 1, 2, 253, 254, 255]);
    await expectAsync(encodeArray(gray, { format: 'png', depth: 8 })).toBeRejectedWithError(/value 65535 at flat index 1 does not fit a 8-bit PNG \(0..255\)/);
    await expectAsync(encodeArray({ data: new Float32Array([1, NaN]), shape: [1, 2], dtype: 'float32' }, { format: 'png' })).toBeRejectedWithError(/value NaN at flat index 1/);
    // rounding to the nearest integer
    const [r] = await decodeFile(await encodeArray({ data: new Float32Array([1.4, 1.6, 2.5]), shape: [1, 3], dtype: 'float32' }, { format: 'png' }), 'r.png');
    expect(Array.from(r.data)).toEqual([1, 2, 3]);
  });

  it('PNG of 1, 2 and 4-bit gray (rows padded to a byte, written by fast-png): one value per pixel', async () => {
    const [w, h] = [5, 3];
    for (const depth of [1, 2, 4] as const) {
      const values = Array.from({ length: w * h }, (_, i) => (i * 7) % 2 ** depth);
      const rowBytes = Math.ceil((w * depth) / 8);
      const packed = new Uint8Array(rowBytes * h);
      values.forEach((v, i) => {
        const [y, x] = [Math.floor(i / w), i % w];
        packed[y * rowBytes + ((x * depth) >> 3)] |= v << (8 - depth - ((x * depth) & 7));
      });
      const [frame] = await decodeFile(encodePng({ width: w, height: h, data: packed, depth, channels: 1 }), `g${depth}.png`);
      expect(frame.shape).toEqual([h, w]);
      expect(Array.from(frame.data)).withContext(`${depth}-bit`).toEqual(values);
    }
  });

  it('PNG with normalize maps the finite [min, max] onto [0, 2^depth - 1]', async () => {
    const mean: Frame = { data: new Float32Array([-1, 0, 1, Infinity, NaN, 0.5]), shape: [2, 3], dtype: 'float32' };
    const [n] = await decodeFile(await encodeArray(mean, { format: 'png', depth: 8, normalize: true }), 'n.png');
    // (v + 1) / 2 * 255, rounded; +inf at the top, NaN at 0
    expect(Array.from(n.data)).toEqual([0, 128, 255, 255, 0, 191]);
  });

  it('TIFF: float32 and int32 as they are, 16-bit on request', async () => {
    const f: Frame = { data: new Float32Array(special), shape: [2, 4], dtype: 'float32' };
    const [fb] = await decodeFile(await encodeArray(f, { format: 'tiff' }), 'f.tif');
    expect(fb.dtype).toBe('float32');
    expectValues(fb.data, special, 0, 'float32 tiff');
    const i: Frame = { data: new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0, -5, 6, 7]), shape: [3, 2], dtype: 'int32' };
    const [ib] = await decodeFile(await encodeArray(i, { format: 'tiff' }), 'i.tif');
    expect(ib.shape).toEqual([3, 2]);
    expect(Array.from(ib.data)).toEqual(Array.from(i.data));
    const u: Frame = { data: new Int32Array([0, 65535, 1, 2, 3, 4]), shape: [1, 2, 3], dtype: 'int32' };
    const [ub] = await decodeFile(await encodeArray(u, { format: 'tiff', depth: 16 }), 'u.tif');
    expect(ub.shape).toEqual([1, 2, 3]);
    expect(Array.from(ub.data)).toEqual([0, 65535, 1, 2, 3, 4]);
    await expectAsync(encodeArray(i, { format: 'tiff', depth: 16 })).toBeRejectedWithError(/value -2147483648 at flat index 0 does not fit a 16-bit TIFF/);
  });
});

describeOnBackends('load: Blobs and URLs, in order, bad files named or skipped and reported', () => {
  const blobOf = async (file: string) => new File([(await fixtureBytes(`io/${file}`)) as BlobPart], file);

  it("the pages of a TIFF and other files, in order with concurrency 3; their mean is NumPy's", async () => {
    const before = tf.memory().numTensors;
    const files = await Promise.all(['pages.tif', 'gray16.png', 'gray16.tif'].map(blobOf));
    const frames = await lastValueFrom(load(files, { concurrency: 3 }).pipe(toArray()));
    expect(frames.map((f) => f.file)).toEqual(['pages.tif', 'pages.tif#1', 'pages.tif#2', 'gray16.png', 'gray16.tif']);
    const mean = (await lastValueFrom(from(frames).pipe(reduceMean()))) as tf.Tensor;
    // pages k hold gray16 + 1000 k (k = 0, 1, 2), then gray16 twice: the mean is gray16 + 600
    const g = fromJson(EXPECTED['gray16.png'].values!);
    expectValues(
      await mean.data(),
      g.map((v) => v + 600),
      0,
      'mean',
    );
    mean.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a bad file errors naming it; with skipBad it is reported to onSkip and the rest load', async () => {
    const files = await Promise.all(['gray8.png', 'corrupt.png', 'hostile.npy', 'rgb8.png'].map(blobOf));
    await expectAsync(lastValueFrom(load(files))).toBeRejectedWith(jasmine.objectContaining({ name: 'FileFormatError', file: 'corrupt.png' }));
    const skipped: FileFormatError[] = [];
    const frames: LoadedFrame[] = await lastValueFrom(load(files, { skipBad: true, onSkip: (e) => skipped.push(e), concurrency: 2 }).pipe(toArray()));
    expect(frames.map((f) => f.file)).toEqual(['gray8.png', 'rgb8.png']);
    expect(skipped.map((e) => e.file)).toEqual(['corrupt.png', 'hostile.npy']);
    expect(skipped[1].message).toContain('needs 8000000000000 bytes of data');
  });

  it('options are checked when load is called', () => {
    expect(() => load([], { concurrency: 0 })).toThrowError(/load: concurrency must be a positive integer/);
    expect(() => load([], { loader: 'gif' as never })).toThrowError(/load: loader must be npy, png, tiff, jpeg or a function/);
    expect(() => load([], { skipBad: 'yes' as never })).toThrowError(/load: skipBad must be true or false/);
  });

  it('loadWith: sources of your own kind (keys of a store), read by your function, decoded as files are', async () => {
    const before = tf.memory().numTensors;
    // a store of .npy records: record k holds [k, 2k, 3k]; the mean of k = 1..4 is [2.5, 5, 7.5]
    const store = new Map<string, Uint8Array>();
    for (let k = 1; k <= 4; k++) store.set(`run/${k}`, await encodeArray({ data: new Float32Array([k, 2 * k, 3 * k]), shape: [3], dtype: 'float32' }));
    store.set('run/bad', new Uint8Array([1, 2, 3]));
    const read = async (key: string) => {
      const bytes = store.get(key);
      if (!bytes) throw new Error('no such record');
      return { bytes, name: key };
    };
    const mean = (await lastValueFrom(loadWith(['run/1', 'run/2', 'run/3', 'run/4'], read, { concurrency: 2 }).pipe(reduceMean()))) as tf.Tensor;
    expect(Array.from(await mean.data())).toEqual([2.5, 5, 7.5]);
    mean.dispose();
    await expectAsync(lastValueFrom(loadWith(['run/1', 'run/bad'], read))).toBeRejectedWith(jasmine.objectContaining({ name: 'FileFormatError', file: 'run/bad' }));
    await expectAsync(lastValueFrom(loadWith(['run/9'], read))).toBeRejectedWith(
      jasmine.objectContaining({ file: 'run/9', message: jasmine.stringMatching(/run\/9: cannot be read: no such record/) }),
    );
    expect(() => loadWith([], read, { concurrency: 0 })).toThrowError(/loadWith: concurrency must be a positive integer/);
    expect(tf.memory().numTensors).toBe(before);
  });

  if (isBrowser) {
    it('URLs are fetched; a missing one errors with its URL and the HTTP status', async () => {
      const frames = await lastValueFrom(load([fixtureUrl('io/f4.npy'), fixtureUrl('io/rgb.jpg')]).pipe(toArray()));
      expectFrame(frames[0], 'f4.npy');
      expectFrame(frames[1], 'rgb.jpg');
      await expectAsync(lastValueFrom(load(fixtureUrl('io/missing.npy')))).toBeRejectedWith(
        jasmine.objectContaining({ name: 'FileFormatError', message: jasmine.stringMatching(/missing\.npy: HTTP 404/) }),
      );
    });
  }
});
