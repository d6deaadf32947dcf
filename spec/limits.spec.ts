import { lastValueFrom, toArray } from 'rxjs';
import { decodeFile, load } from '../projects/npstreams-rx/src/public-api';
import { fixtureBytes } from './helpers/fixture-files';
import { LZW_DICTIONARY, LZW_PAST_FULL, LZW_PAST_FULL_MESSAGE, lzwBuffer, lzwDecode, lzwMaxOutput } from '../projects/npstreams-rx/src/lib/io/lzw';
import { lzwWorstRun, oneStripTiff, packCodes } from '../scripts/hostile-files';

// Budgets (maxPixels, maxBytes) checked against what a file declares, before the decoder
// allocates: hostile headers of a few hundred bytes are refused with the fields named.

/** A little-endian TIFF whose one IFD declares width x height 8-bit gray samples in one strip of 16 bytes. */
function tiffDeclaring(width: number, height: number): Uint8Array {
  const entries: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 8],
    [259, 3, 1],
    [273, 4, 200],
    [277, 3, 1],
    [278, 4, height],
    [279, 4, 16],
  ];
  const bytes = new Uint8Array(216);
  const v = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], k) => {
    const at = 10 + 12 * k;
    v.setUint16(at, tag, true);
    v.setUint16(at + 2, type, true);
    v.setUint32(at + 4, 1, true);
    if (type === 3) v.setUint16(at + 8, value, true);
    else v.setUint32(at + 8, value, true);
  });
  v.setUint32(10 + 12 * entries.length, 0, true);
  return bytes;
}

/** Where a JPEG's frame header (SOFn) starts. */
function sofAt(b: Uint8Array): number {
  let i = 2;
  while (!(b[i + 1] >= 0xc0 && b[i + 1] <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(b[i + 1]))) i += 2 + ((b[i + 2] << 8) | b[i + 3]);
  return i;
}

/** A copy of a JPEG with its frame header (SOFn) declaring other dimensions. */
function jpegDeclaring(jpeg: Uint8Array, width: number, height: number): Uint8Array {
  const b = jpeg.slice();
  b.set([height >> 8, height & 255, width >> 8, width & 255], sofAt(b) + 5);
  return b;
}

/** A copy of a PNG with its IHDR declaring other dimensions (the reader does not check CRCs). */
function pngDeclaring(png: Uint8Array, width: number, height: number): Uint8Array {
  const b = png.slice();
  const v = new DataView(b.buffer);
  v.setUint32(16, width);
  v.setUint32(20, height);
  return b;
}

describe('decode limits: maxPixels and maxBytes, checked before anything is allocated', () => {
  it('a TIFF declaring 2147483647x1 pixels in 216 bytes: refused by the default maxPixels (2^28), the fields named', async () => {
    await expectAsync(decodeFile(tiffDeclaring(2147483647, 1), 'wide.tif')).toBeRejectedWith(
      jasmine.objectContaining({ name: 'FileFormatError', message: 'wide.tif: cannot be decoded as tiff: ImageWidth 2147483647 x ImageLength 1 is 2147483647 pixels, beyond maxPixels 268435456' }),
    );
  });

  it('maxBytes counts 4 bytes a sample (what tfjs holds): a 16-bit 5x7 TIFF needs 140 bytes', async () => {
    const bytes = await fixtureBytes('io/gray16.tif');
    const [frame] = await decodeFile(bytes, 'gray16.tif', undefined, undefined, { maxBytes: 140 });
    expect(frame.shape).toEqual([5, 7]);
    await expectAsync(decodeFile(bytes, 'gray16.tif', undefined, undefined, { maxBytes: 139 })).toBeRejectedWith(
      jasmine.objectContaining({ message: 'gray16.tif: cannot be decoded as tiff: ImageWidth 7 x ImageLength 5 x 4 bytes exceeds maxBytes 139 bytes' }),
    );
  });

  it('a JPEG whose frame header claims 10000x10000 and a PNG whose IHDR claims 40000x40000: refused before decoding', async () => {
    const jpeg = jpegDeclaring(await fixtureBytes('io/gray.jpg'), 10000, 10000);
    await expectAsync(decodeFile(jpeg, 'big.jpg', undefined, undefined, { maxPixels: 2 ** 24 })).toBeRejectedWith(
      jasmine.objectContaining({ message: "big.jpg: cannot be decoded as jpeg: the frame header's width 10000 x height 10000 is 100000000 pixels, beyond maxPixels 16777216" }),
    );
    const png = pngDeclaring(await fixtureBytes('io/gray8.png'), 40000, 40000);
    await expectAsync(decodeFile(png, 'big.png')).toBeRejectedWith(
      jasmine.objectContaining({ message: 'big.png: cannot be decoded as png: IHDR width 40000 x height 40000 is 1600000000 pixels, beyond maxPixels 268435456' }),
    );
  });

  it('a JPEG or a PNG too short for the pixels it declares is refused before decoding (within the budget)', async () => {
    const gray = await fixtureBytes('io/gray.jpg');
    // 2000x2000 in 8-bit gray: 62500 blocks of at least 2 bits, 15625 bytes at the least
    await expectAsync(decodeFile(jpegDeclaring(gray, 2000, 2000), 'short.jpg')).toBeRejectedWith(
      jasmine.objectContaining({
        message: `short.jpg: cannot be decoded as jpeg: the frame header declares 2000x2000 pixels, which a baseline JPEG of ${gray.length} bytes cannot hold (15625 bytes at the least)`,
      }),
    );
    // a progressive JPEG spends a bit at least on each block of each component (in its DC scans):
    // 1000x1000 RGB is 3 x 15625 blocks, 5860 bytes at the least
    const rgb = await fixtureBytes('io/rgb.jpg');
    const progressive = jpegDeclaring(rgb, 1000, 1000);
    progressive[sofAt(progressive) + 1] = 0xc2;
    await refusal(progressive, 'short-progressive.jpg', 'jpeg', `the frame header declares 1000x1000 pixels, which a progressive JPEG of ${rgb.length} bytes cannot hold (5860 bytes at the least)`);
    // arithmetic coding has no such bound: refused by name
    const arithmetic = rgb.slice();
    arithmetic[sofAt(arithmetic) + 1] = 0xc9;
    await refusal(arithmetic, 'arithmetic.jpg', 'jpeg', 'SOF9 (arithmetic-coded) JPEG is not supported: re-save it as a baseline or progressive JPEG');
    const png = await fixtureBytes('io/gray8.png');
    await expectAsync(decodeFile(pngDeclaring(png, 4000, 4000), 'short.png')).toBeRejectedWith(
      jasmine.objectContaining({
        message: jasmine.stringMatching(
          /^short\.png: cannot be decoded as png: IHDR width 4000 x height 4000 needs 16004000 bytes of rows, which \d+ bytes of deflate data cannot hold \(1032:1 at the most\)$/,
        ),
      }),
    );
  });

  it('.npy: the shape counts; load takes the limits as options and skipBad skips what exceeds them', async () => {
    const npy = await fixtureBytes('io/f4.npy');
    const [frame] = await decodeFile(npy, 'f4.npy');
    const pixels = frame.data.length;
    await expectAsync(decodeFile(npy, 'f4.npy', undefined, undefined, { maxPixels: pixels - 1 })).toBeRejectedWith(
      jasmine.objectContaining({ message: jasmine.stringMatching(new RegExp(`^f4\\.npy: cannot be decoded as npy: shape \\(.*\\) is ${pixels} pixels, beyond maxPixels ${pixels - 1}$`)) }),
    );
    const skipped: string[] = [];
    const files = [new File([npy as BlobPart], 'a.npy'), new File([tiffDeclaring(2147483647, 1) as BlobPart], 'wide.tif'), new File([npy as BlobPart], 'b.npy')];
    const frames = await lastValueFrom(load(files, { skipBad: true, onSkip: (e) => skipped.push(e.message) }).pipe(toArray()));
    expect(frames.map((f) => f.file)).toEqual(['a.npy', 'b.npy']);
    expect(skipped).toEqual(['wide.tif: cannot be decoded as tiff: ImageWidth 2147483647 x ImageLength 1 is 2147483647 pixels, beyond maxPixels 268435456']);
    expect(() => load(files, { maxPixels: 0 })).toThrowError(/load: maxPixels must be a positive integer/);
  });
});

/** A little-endian TIFF of 7x5 8-bit gray pixels whose entries `edit` may change ([tag, type, count, value]);
 * a RATIONAL 29184/16711680 lies at byte 250. */
function tiffWith(edit: (e: [number, number, number, number]) => [number, number, number, number], entryCount?: number): Uint8Array {
  const entries = (
    [
      [256, 4, 1, 7],
      [257, 4, 1, 5],
      [258, 3, 1, 8],
      [259, 3, 1, 1],
      [273, 4, 1, 200],
      [277, 3, 1, 1],
      [278, 4, 1, 5],
      [279, 4, 1, 35],
    ] as [number, number, number, number][]
  ).map(edit);
  const bytes = new Uint8Array(300);
  const v = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, 8, true);
  v.setUint16(8, entryCount ?? entries.length, true);
  entries.forEach(([tag, type, count, value], k) => {
    const at = 10 + 12 * k;
    v.setUint16(at, tag, true);
    v.setUint16(at + 2, type, true);
    v.setUint32(at + 4, count, true);
    if (type === 3) v.setUint16(at + 8, value, true);
    else v.setUint32(at + 8, value, true);
  });
  v.setUint32(10 + 12 * entries.length, 0, true);
  v.setUint32(250, 29184, true);
  v.setUint32(254, 16711680, true);
  return bytes;
}

/** Expects decodeFile to refuse the bytes with a FileFormatError saying exactly that. */
const refusal = async (bytes: Uint8Array, name: string, format: string, reason: string) =>
  expectAsync(decodeFile(bytes, name)).toBeRejectedWith(jasmine.objectContaining({ name: 'FileFormatError', message: `${name}: cannot be decoded as ${format}: ${reason}` }));

describe('hostile headers (issue 15): refused in words, never a malformed frame', () => {
  it('TIFF: SamplesPerPixel as a RATIONAL, an empty ImageWidth, ImageLength of another type, an entry count past the end', async () => {
    const [frame] = await decodeFile(
      tiffWith((e) => e),
      'ok.tif',
    );
    expect(frame.shape).toEqual([5, 7]);
    await refusal(
      tiffWith((e) => (e[0] === 277 ? [277, 5, 1, 250] : e)),
      'r.tif',
      'tiff',
      'the SamplesPerPixel tag (277) holds 0.0017463235294117648, not a non-negative integer',
    );
    await refusal(
      tiffWith((e) => (e[0] === 256 ? [256, 4, 0, 0] : e)),
      'w.tif',
      'tiff',
      'the ImageWidth tag (256) is missing',
    );
    await refusal(
      tiffWith((e) => (e[0] === 257 ? [257, 2, 1, 0] : e)),
      'h.tif',
      'tiff',
      'the image is 7x0: no pixels',
    );
    await refusal(
      tiffWith((e) => e, 0xffff),
      'c.tif',
      'tiff',
      "the IFD at offset 8 claims 65535 entries, beyond the file's end",
    );
    // 4000x4000 deflated into 16 bytes: more than deflate's 1032:1
    const bomb = tiffWith((e) => (e[0] === 256 || e[0] === 257 || e[0] === 278 ? [e[0], 4, 1, 4000] : e[0] === 259 ? [259, 3, 1, 8] : e[0] === 279 ? [279, 4, 1, 16] : e));
    await refusal(bomb, 'd.tif', 'tiff', 'the deflate data (16 bytes) cannot hold the 16000000 bytes of the image its tags declare (1032:1 at the most)');
  });

  it('PNG: IHDR declaring 0x0 pixels', async () => {
    await refusal(pngDeclaring(await fixtureBytes('io/gray8.png'), 0, 0), 'z.png', 'png', 'IHDR declares 0x0 pixels: dimensions must be 1 to 2^31-1');
    await refusal(pngDeclaring(await fixtureBytes('io/palette.png'), 0, 0), 'p.png', 'png', 'IHDR declares 0x0 pixels: dimensions must be 1 to 2^31-1');
  });
});

describe('compressions the reader does not implement, and truncated JPEG streams: refused in words', () => {
  it('TIFF: CCITT and old-style JPEG named; JPEG on 16-bit samples refused before any decoder runs', async () => {
    for (const [code, what] of [
      [2, 'CCITT modified Huffman'],
      [3, 'CCITT T.4'],
      [4, 'CCITT T.6'],
      [6, 'old-style JPEG'],
    ] as const) {
      await refusal(
        tiffWith((e) => (e[0] === 259 ? [259, 3, 1, code] : e)),
        'c.tif',
        'tiff',
        `Compression ${code} (${what}) is not supported (none, LZW, deflate, PackBits and JPEG are); rewrite the file uncompressed, e.g. tiffcp -c none`,
      );
    }
    await refusal(
      tiffWith((e) => (e[0] === 259 ? [259, 3, 1, 34712] : e)),
      'j2k.tif',
      'tiff',
      'Compression 34712 is not supported (none, LZW, deflate, PackBits and JPEG are); rewrite the file uncompressed, e.g. tiffcp -c none',
    );
    await refusal(
      tiffWith((e) => (e[0] === 259 ? [259, 3, 1, 7] : e[0] === 258 ? [258, 3, 1, 16] : e)),
      'j16.tif',
      'tiff',
      'JPEG compression holds 8-bit unsigned gray or RGB samples without a predictor, not 1 16-bit unsigned samples (Predictor 1)',
    );
  });

  it('JPEG: a stream cut short (no end-of-image marker) is refused, as a file and as a strip of a TIFF', async () => {
    const gray = await fixtureBytes('io/gray.jpg');
    await refusal(gray.subarray(0, gray.length - 40), 'cut.jpg', 'jpeg', 'the JPEG stream has no end-of-image marker after its frame: the file is truncated');
    // the RGB JPEG-in-TIFF fixture with its first strip's last bytes overwritten (its EOI gone)
    const tif = (await fixtureBytes('io/rgb8-jpeg.tif')).slice();
    const v = new DataView(tif.buffer);
    const count = v.getUint16(v.getUint32(4, true), true);
    let offset = 0;
    let length = 0;
    for (let k = 0; k < count; k++) {
      const at = v.getUint32(4, true) + 2 + 12 * k;
      const tag = v.getUint16(at, true);
      // the first value: SHORT or LONG, in the entry where the values fit its 4 bytes
      const short = v.getUint16(at + 2, true) === 3;
      const where = v.getUint32(at + 4, true) * (short ? 2 : 4) <= 4 ? at + 8 : v.getUint32(at + 8, true);
      const first = short ? v.getUint16(where, true) : v.getUint32(where, true);
      if (tag === 273) offset = first;
      if (tag === 279) length = first;
    }
    expect(tif[offset + length - 2] * 256 + tif[offset + length - 1]).toBe(0xffd9);
    tif.fill(0, offset + length - 2, offset + length);
    await refusal(tif, 'cut.tif', 'tiff', 'strip 0: the JPEG stream has no end-of-image marker after its frame: the file is truncated');
  });
});

describe("decodeFile's isolate: what only a dependency decodes is named, not run here", () => {
  it('palette and interlaced PNGs (fast-png) throw an IsolationNeeded; what the library reads decodes as without it', async () => {
    // [fixture, dependency, message, height x width]
    const cases: [string, string, string, number][] = [
      ['io/palette.png', 'fast-png', 'a palette PNG needs fast-png', 35],
      ['io/interlaced16.png', 'fast-png', 'an interlaced PNG needs fast-png', 23 * 37],
    ];
    for (const [path, decoder, message, pixels] of cases) {
      const bytes = await fixtureBytes(path);
      await expectAsync(decodeFile(bytes, path, undefined, undefined, { isolate: true })).toBeRejectedWith(
        jasmine.objectContaining({ name: 'IsolationNeeded', decoder, message: `${message}, which runs only where a deadline can stop it` }),
      );
      // without isolate the dependency decodes it here
      const [frame] = await decodeFile(bytes, path);
      expect(frame.shape[0] * frame.shape[1])
        .withContext(path)
        .toBe(pixels);
    }
    const plain = await fixtureBytes('io/gray16.png');
    const [isolated] = await decodeFile(plain, 'gray16.png', undefined, undefined, { isolate: true });
    const [here] = await decodeFile(plain, 'gray16.png');
    expect(isolated.shape).toEqual(here.shape);
    expect(Array.from(isolated.data)).toEqual(Array.from(here.data));
  });

  it('LZW TIFF: a strip too short for the bytes it declares is refused before its memory is allocated; the worst-case stream still decodes', async () => {
    /** The most an LZW stream expands: after a clear, a literal, then every code the entry it makes
     * (KwKwK), in the decoder's widths, until the table is full; then the longest entry `past` times. */
    const worst = (past: number) => {
      const stream = packCodes(lzwWorstRun(past));
      // its output: 1 + 2 + ... + 3839 bytes, then past x 3839
      return { stream, decoded: 1 + (3838 * (2 + 3839)) / 2 + past * 3839 };
    };
    /** A one-row 8-bit LZW TIFF of `columns` pixels whose one strip is `stream`. */
    const tiff = (stream: Uint8Array, columns: number) => oneStripTiff(columns, 1, 5, stream);
    // 1024 codes past the full table, as many as libtiff reads: decoded (wasm) and by the JS loop
    const { stream, decoded } = worst(LZW_PAST_FULL);
    const most = lzwMaxOutput(stream.length);
    expect(decoded).toBeLessThanOrEqual(most);
    expect(decoded / most)
      .withContext('the bound is close to what the worst stream gives')
      .toBeGreaterThan(0.97);
    const [frame] = await decodeFile(tiff(stream, decoded), 'worst.tif');
    expect(frame.shape).toEqual([1, decoded]);
    expect(frame.data.every((x) => x === 0))
      .withContext('the stream spells zeros throughout')
      .toBeTrue();
    const buf = lzwBuffer(decoded);
    buf.fill(1, LZW_DICTIONARY);
    lzwDecode(stream, buf, LZW_DICTIONARY, decoded);
    expect(buf.subarray(LZW_DICTIONARY, LZW_DICTIONARY + decoded).every((x) => x === 0)).toBeTrue();
    // declaring more than the data can hold: refused before decoding
    await refusal(tiff(stream, most + 1), 'short.tif', 'tiff', `strip 0: its LZW data (${stream.length} bytes) cannot hold the ${most + 1} bytes its tags declare (${most} at the most)`);
    // one code more past the full table: refused by both decoders, as libtiff does
    const over = worst(LZW_PAST_FULL + 1);
    await refusal(tiff(over.stream, over.decoded), 'over.tif', 'tiff', `strip 0: ${LZW_PAST_FULL_MESSAGE}`);
    expect(() => lzwDecode(over.stream, lzwBuffer(over.decoded), LZW_DICTIONARY, over.decoded)).toThrowError(LZW_PAST_FULL_MESSAGE);
    // 100 KB of LZW data holds at most 166 MB: a file that small cannot make the decoder fill more
    expect(lzwMaxOutput(100 * 1024)).toBeLessThan(166e6);
  });
});
