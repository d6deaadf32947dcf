import * as tf from '@tensorflow/tfjs-core';
import { deflateSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import { type Frame, decodeFile } from '../projects/npstreams-rx/src/public-api';
import { load, save } from '../projects/npstreams-rx/node/src/public-api';
import { zlibInflate } from '../projects/npstreams-rx/node/src/read';
import { describeOnBackends } from './helpers/backends';

/** Runs Python with NumPy (found or installed by scripts/numpy-python.mjs) and returns stdout. */
function python(code: string): string {
  const interpreter = process.env['NPSTREAMS_PYTHON'];
  if (!interpreter) throw new Error('these specs need Python with NumPy: scripts/test-node.mjs found none and could not install python3-numpy');
  const run = spawnSync(interpreter, ['-c', code], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return run.stdout;
}

describe('load in Node: paths, globs, file URLs', () => {
  it('a glob is expanded here and sorted; a list keeps its order; file: URLs read', async () => {
    const frames = await lastValueFrom(load(['spec/fixtures/io/u[124]*.npy', 'spec/fixtures/io/b1.npy', pathToFileURL('spec/fixtures/io/i1.npy')]).pipe(toArray()));
    expect(frames.map((f) => f.file)).toEqual([
      'spec/fixtures/io/u1.npy',
      'spec/fixtures/io/u2.npy',
      'spec/fixtures/io/u4-fits.npy',
      'spec/fixtures/io/b1.npy',
      `${process.cwd()}/spec/fixtures/io/i1.npy`,
    ]);
    expect(Array.from(frames[0].data)).toEqual([0, 255, 17]);
  });

  it('a missing path errors naming it; a glob that matches nothing errors naming the glob', async () => {
    await expectAsync(lastValueFrom(load('spec/fixtures/io/missing.npy'))).toBeRejectedWith(
      jasmine.objectContaining({ name: 'FileFormatError', file: 'spec/fixtures/io/missing.npy', message: jasmine.stringMatching(/missing\.npy: cannot be read: ENOENT/) }),
    );
    await expectAsync(lastValueFrom(load(['spec/fixtures/io/*.gif']))).toBeRejectedWith(jasmine.objectContaining({ message: 'spec/fixtures/io/*.gif: no file matches this glob' }));
  });

  it('with workers, a file that keeps its thread past the deadline errors naming it, and skipBad skips it', async () => {
    // 1 ms: a thread cannot even start within it, so the file is past its deadline
    await expectAsync(lastValueFrom(load('spec/fixtures/io/gray8.png', { workers: 1, deadline: 1 }))).toBeRejectedWith(
      jasmine.objectContaining({
        name: 'FileFormatError',
        file: 'spec/fixtures/io/gray8.png',
        message: 'spec/fixtures/io/gray8.png: no decision within the deadline of 1 ms: its decoding thread was stopped',
      }),
    );
    const skipped: string[] = [];
    const frames = await lastValueFrom(load(['spec/fixtures/io/gray8.png'], { workers: 1, deadline: 1, skipBad: true, onSkip: (e) => skipped.push(e.file) }).pipe(toArray()));
    expect([frames.length, skipped]).toEqual([0, ['spec/fixtures/io/gray8.png']]);
    expect(() => load('x.png', { workers: 1, deadline: 0 })).toThrowError(/load: deadline must be a positive number/);
  });

  it('skipBad reports the missing and the corrupt, and goes on', async () => {
    const skipped: string[] = [];
    const frames = await lastValueFrom(
      load(['spec/fixtures/io/missing.npy', 'spec/fixtures/io/gray8.png', 'spec/fixtures/io/corrupt.png'], { skipBad: true, onSkip: (e) => skipped.push(e.file) }).pipe(toArray()),
    );
    expect(frames.map((f) => f.file)).toEqual(['spec/fixtures/io/gray8.png']);
    expect(skipped).toEqual(['spec/fixtures/io/missing.npy', 'spec/fixtures/io/corrupt.png']);
  });

  it("reuse: files read and decoded into the same memory over and over, each frame intact until a later file's frames come", async () => {
    const files = [
      'spec/fixtures/io/gray16-lzw-predictor-strips.tif',
      'spec/fixtures/io/gray16-packbits.tif',
      'spec/fixtures/io/gray16-big-endian-strips.tif',
      'spec/fixtures/io/runs-lzw.tif',
      'spec/fixtures/io/gray16-filters.png',
      'spec/fixtures/io/gray16-deflate-tiles.tif',
    ];
    const expected = await lastValueFrom(load(files).pipe(toArray()));
    for (const concurrency of [1, 3]) {
      const seen: { values: number[]; buffer: ArrayBufferLike }[] = [];
      // what a reduction does: read each frame as it is emitted
      await new Promise<void>((resolve, reject) =>
        load([...files, ...files], { reuse: true, concurrency }).subscribe({ next: (f) => seen.push({ values: Array.from(f.data), buffer: f.data.buffer }), error: reject, complete: resolve }),
      );
      seen.forEach((s, k) =>
        expect(s.values)
          .withContext(`concurrency ${concurrency}, frame ${k}`)
          .toEqual(Array.from(expected[k % files.length].data)),
      );
      // the bytes and the samples of the files in flight, the emitted one and the one before it
      expect(new Set(seen.map((s) => s.buffer)).size)
        .withContext(`concurrency ${concurrency}: distinct buffers for 12 files`)
        .toBeLessThanOrEqual(3 * (concurrency + 2));
    }
    const fresh = await lastValueFrom(load(files).pipe(toArray()));
    expect(new Set(fresh.map((f) => f.data.buffer)).size)
      .withContext('without reuse: one buffer per file')
      .toBe(files.length);
  });

  describe('on worker threads (workers: 2)', () => {
    const files = ['spec/fixtures/io/*.tif', 'spec/fixtures/io/*16*.png', 'spec/fixtures/io/f4*.npy', pathToFileURL('spec/fixtures/io/u2.npy')];
    const good = (f: string) => !/ifd-loop|strip-beyond|zero-width/.test(f);

    it('the same frames, in the same order, as in this thread; their buffers moved here', async () => {
      const here = await lastValueFrom(load(files, { skipBad: true, onSkip: () => undefined }).pipe(toArray()));
      const skipped: string[] = [];
      const threads = await lastValueFrom(load(files, { workers: 2, skipBad: true, onSkip: (e) => skipped.push(e.file) }).pipe(toArray()));
      expect(threads.map((f) => f.file)).toEqual(here.map((f) => f.file));
      expect(threads.length).toBeGreaterThan(20);
      threads.forEach((f, k) => {
        expect(f.shape).withContext(f.file).toEqual(here[k].shape);
        expect(f.dtype).withContext(f.file).toBe(here[k].dtype);
        expect(f.data.constructor).withContext(f.file).toBe(here[k].data.constructor);
        expect(Array.from(f.data)).withContext(f.file).toEqual(Array.from(here[k].data));
      });
      // the hostile TIFFs, named as in this thread
      expect(skipped).toEqual(['spec/fixtures/io/ifd-loop.tif', 'spec/fixtures/io/strip-beyond.tif', 'spec/fixtures/io/zero-width.tif']);
      expect(threads.every((f) => good(f.file))).toBeTrue();
    });

    it('with reuse, each frame intact while it is emitted, though threads decode into the memory of frames before it', async () => {
      const here = await lastValueFrom(load(files, { skipBad: true, onSkip: () => undefined }).pipe(toArray()));
      const seen: number[][] = [];
      await new Promise<void>((resolve, reject) =>
        load([...files, ...files], { workers: 2, reuse: true, skipBad: true, onSkip: () => undefined }).subscribe({ next: (f) => seen.push(Array.from(f.data)), error: reject, complete: resolve }),
      );
      expect(seen.length).toBe(2 * here.length);
      seen.forEach((values, k) =>
        expect(values)
          .withContext(`frame ${k}`)
          .toEqual(Array.from(here[k % here.length].data)),
      );
    });

    it('errors name the file and the reason as in this thread; what cannot cross to a thread is refused when made', async () => {
      await expectAsync(lastValueFrom(load(['spec/fixtures/io/gray8.png', 'spec/fixtures/io/ifd-loop.tif'], { workers: 2 }))).toBeRejectedWith(
        jasmine.objectContaining({
          name: 'FileFormatError',
          file: 'spec/fixtures/io/ifd-loop.tif',
          index: 1,
          message: jasmine.stringMatching(/ifd-loop\.tif: cannot be decoded as tiff: the IFD chain loops back to offset \d+/),
        }),
      );
      await expectAsync(lastValueFrom(load('spec/fixtures/io/missing.npy', { workers: 1 }))).toBeRejectedWith(
        jasmine.objectContaining({ name: 'FileFormatError', message: jasmine.stringMatching(/missing\.npy: cannot be read: ENOENT/) }),
      );
      expect(() => load('a.npy', { workers: 2, loader: (b) => ({ data: b, shape: [b.length], dtype: 'int32' }) })).toThrowError(/a loader function cannot run on worker threads/);
      expect(() => load('a.npy', { workers: -1 })).toThrowError(/workers must be a non-negative integer/);
      await expectAsync(lastValueFrom(load([new Blob([new Uint8Array(4)])], { workers: 1 }))).toBeRejectedWithError(/with workers, every source is a path, a glob or a file: URL; received a Blob/);
    });
  });
});

describeOnBackends('save: what numpy.load reads, never a half-written file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'npstreams-rx-save-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('.npy of float32 (NaN, ±inf, subnormal), int32 and bool, read back by NumPy', async () => {
    const before = tf.memory().numTensors;
    const f = tf.tensor2d([
      [1.5, NaN, Infinity],
      [-Infinity, 1.401298464324817e-45, -0],
    ]);
    await save(f, join(dir, 'f.npy'));
    await save({ data: new Int32Array([-(2 ** 31), 2 ** 31 - 1]), shape: [2], dtype: 'int32' }, join(dir, 'i.npy'));
    await save({ data: new Uint8Array([1, 0]), shape: [1, 2], dtype: 'bool' }, join(dir, 'b'));
    f.dispose();
    const out = python(`
import json, numpy as np
f = np.load('${dir}/f.npy'); i = np.load('${dir}/i.npy'); b = np.load('${dir}/b')
print(json.dumps([str(f.dtype), f.shape, [repr(float(v)) for v in f.ravel()], str(i.dtype), i.tolist(), str(b.dtype), b.tolist()]))`);
    expect(JSON.parse(out)).toEqual(['float32', [2, 3], ['1.5', 'nan', 'inf', '-inf', '1.401298464324817e-45', '-0.0'], 'int32', [-(2 ** 31), 2 ** 31 - 1], 'bool', [[true, false]]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('PNG and TIFF by extension; a failure leaves no file and the earlier one intact', async () => {
    const frame: Frame = { data: new Int32Array([0, 1000, 65535, 7]), shape: [2, 2], dtype: 'int32' };
    await save(frame, join(dir, 'a.png'));
    await save(frame, join(dir, 'a.tif'));
    expect(Array.from((await decodeFile(readFileSync(join(dir, 'a.png')), 'a.png'))[0].data)).toEqual([0, 1000, 65535, 7]);
    expect(Array.from((await decodeFile(readFileSync(join(dir, 'a.tif')), 'a.tif'))[0].data)).toEqual([0, 1000, 65535, 7]);
    writeFileSync(join(dir, 'keep.png'), 'earlier result');
    const bad: Frame = { data: new Float32Array([1, -3]), shape: [1, 2], dtype: 'float32' };
    await expectAsync(save(bad, join(dir, 'keep.png'))).toBeRejectedWith(
      jasmine.objectContaining({ name: 'FileFormatError', message: jasmine.stringMatching(/keep\.png: cannot be written as png: value -3 at flat index 1/) }),
    );
    await expectAsync(save(bad, join(dir, 'new.png'))).toBeRejected();
    await expectAsync(save(frame, join(dir, 'no-such-dir', 'x.npy'))).toBeRejectedWith(jasmine.objectContaining({ message: jasmine.stringMatching(/x\.npy: cannot be written: ENOENT/) }));
    expect(readFileSync(join(dir, 'keep.png'), 'utf8')).toBe('earlier result');
    expect(existsSync(join(dir, 'new.png'))).toBeFalse();
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial')))
      .withContext('temporary files left')
      .toEqual([]);
  });
});

describe("zlibInflate (Node's zlib for the decoders)", () => {
  // 1 MiB of a pattern zlib compresses well; the expected bytes are the input itself
  const plain = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7 + (i >> 9)) & 255);
  const packed = deflateSync(plain);
  const fail = (reason: string) => new Error(reason);

  it('inflates into the memory alloc gives (one byte more than declared), the same bytes as inflateSync', () => {
    const memory = new ArrayBuffer(plain.length + 1);
    const asked: number[] = [];
    const out = zlibInflate(packed, plain.length, fail, (n) => (asked.push(n), new Uint8Array(memory, 0, n)));
    expect(asked).toEqual([plain.length + 1]);
    expect(out.buffer).toBe(memory);
    expect(out.length).toBe(plain.length);
    expect(Buffer.from(out).equals(Buffer.from(plain))).toBeTrue();
    const fresh = zlibInflate(packed, plain.length, fail);
    expect(Buffer.from(fresh).equals(Buffer.from(plain))).toBeTrue();
  });

  it('refuses data that inflates beyond the size declared, or is cut short or corrupt, with or without alloc', () => {
    for (const alloc of [undefined, (n: number) => new Uint8Array(n)]) {
      expect(() => zlibInflate(packed, plain.length - 1, fail, alloc)).toThrowError(`the compressed data inflates beyond the ${plain.length - 1} bytes declared`);
      expect(() => zlibInflate(packed.subarray(0, 100), plain.length, fail, alloc)).toThrowError(/^corrupt compressed data \(unexpected end of file\)/);
      const bad = Uint8Array.from(packed);
      bad[0] ^= 0xff; // the zlib header
      expect(() => zlibInflate(bad, plain.length, fail, alloc)).toThrowError(/^corrupt compressed data \(incorrect header check\)/);
    }
  });
});

describe('load without workers: what only a dependency decodes goes to a thread, under the deadline', () => {
  const fixture = (name: string) => join('spec/fixtures/io', name);

  it('a palette and an interlaced PNG (fast-png) come from a thread: the same frames as decodeFile gives here', async () => {
    const paths = ['gray16.png', 'palette.png', 'interlaced16.png'].map(fixture);
    const frames = await lastValueFrom(load(paths).pipe(toArray()));
    expect(frames.map((f) => f.file)).toEqual(paths);
    for (const [k, path] of paths.entries()) {
      const [here] = await decodeFile(readFileSync(path), path);
      expect(frames[k].shape).withContext(path).toEqual(here.shape);
      expect(Array.from(frames[k].data)).withContext(path).toEqual(Array.from(here.data));
    }
  });

  it('a file that needs the thread and misses the deadline errors, named (skipBad skips it); the files decoded here do not wait for any', async () => {
    // 1 ms: no thread even starts within it
    const skipped: string[] = [];
    const paths = ['gray16.png', 'palette.png', 'gray8.png'].map(fixture);
    const frames = await lastValueFrom(load(paths, { deadline: 1, skipBad: true, onSkip: (e) => skipped.push(e.message) }).pipe(toArray()));
    expect(frames.map((f) => f.file)).toEqual([paths[0], paths[2]]);
    expect(skipped).toEqual([`${paths[1]}: no decision within the deadline of 1 ms: its decoding thread was stopped`]);
    await expectAsync(lastValueFrom(load([paths[0], paths[1]], { deadline: 1 }))).toBeRejectedWith(jasmine.objectContaining({ name: 'FileFormatError', file: paths[1], index: 1 }));
  });
});

describe('PNG past 64 MiB of rows: samples made in the inflated rows’ own memory', () => {
  /** A PNG of `depth`-bit samples, `channels` a pixel, its rows filtered None and Sub in turn. */
  function png(width: number, height: number, depth: 8 | 16, channels: 1 | 3, sample: (y: number, i: number) => number): Buffer {
    const bpp = (channels * depth) / 8;
    const rowBytes = width * bpp;
    const rows = Buffer.alloc(height * (rowBytes + 1));
    const row = Buffer.alloc(rowBytes);
    for (let y = 0; y < height; y++) {
      for (let i = 0; i < width * channels; i++) {
        const v = sample(y, i);
        if (depth === 8) row[i] = v;
        else row.writeUInt16BE(v, 2 * i);
      }
      const at = y * (rowBytes + 1);
      rows[at] = y % 2; // 0 None, 1 Sub
      for (let b = 0; b < rowBytes; b++) rows[at + 1 + b] = y % 2 ? (row[b] - (b >= bpp ? row[b - bpp] : 0)) & 255 : row[b];
    }
    const chunk = (type: string, data: Buffer) => {
      const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
      const out = Buffer.alloc(12 + data.length);
      out.writeUInt32BE(data.length, 0);
      body.copy(out, 4);
      out.writeUInt32BE(0, 8 + data.length); // the reader does not check CRCs
      return out;
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr.set([depth, channels === 1 ? 0 : 2, 0, 0, 0], 8);
    return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 1 })), chunk('IEND', Buffer.alloc(0))]);
  }

  it('16-bit gray and 8-bit RGB, rows filtered None and Sub: every sample as written', async () => {
    const cases = [
      { width: 6000, height: 5600, depth: 16, channels: 1, sample: (y: number, i: number) => (y * 31 + i * 7) & 0xffff },
      { width: 4800, height: 4800, depth: 8, channels: 3, sample: (y: number, i: number) => (y * 3 + i * 5) & 0xff },
    ] as const;
    for (const { width, height, depth, channels, sample } of cases) {
      const rows = height * (width * channels * (depth / 8) + 1);
      expect(rows)
        .withContext('past 64 MiB of rows')
        .toBeGreaterThan(2 ** 26);
      const [frame] = await decodeFile(new Uint8Array(png(width, height, depth, channels, sample)), 'big.png');
      expect(frame.shape).toEqual(channels === 1 ? [height, width] : [height, width, channels]);
      const perRow = width * channels;
      let wrong = -1;
      for (let k = 0; k < frame.data.length && wrong < 0; k++) if (frame.data[k] !== sample(Math.floor(k / perRow), k % perRow)) wrong = k;
      expect(wrong).withContext(`${depth}-bit: the first sample that differs`).toBe(-1);
      expect(frame.data.length).toBe(height * perRow);
    }
  });
});
