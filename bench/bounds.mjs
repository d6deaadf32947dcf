// `npm run bench:bounds`: issue 15's bound on small hostile files ("under 100 KB: a decision
// within 2 s and under 256 MB of growth"), on the worst files each size check lets through and on
// files that claim more than their data can hold. Each file is written here (LZW and PNG by this
// script, JPEG from a Pillow-made progressive JPEG with its frame header edited) into .tmp/bounds/
// and decoded alone by decodeFile in a fresh Node process (bench/bounds-child.ts): the outcome, the
// time and the growth of the process's RSS.
//   node bench/bounds.mjs
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

const work = resolve('.tmp/bounds');
mkdirSync(work, { recursive: true });
const child = join(work, 'child.mjs');
await build({ entryPoints: ['bench/bounds-child.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: child, logLevel: 'warning' });

/** A little-endian one-strip TIFF: 8-bit gray, `width` x `height`, the strip compressed with `compression`. */
function tiff(width, height, compression, strip) {
  const entries = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 8],
    [259, 3, compression],
    [273, 4, 128],
    [277, 3, 1],
    [278, 4, height],
    [279, 4, strip.length],
  ];
  const bytes = new Uint8Array(128 + strip.length);
  const v = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], k) => {
    v.setUint16(10 + 12 * k, tag, true);
    v.setUint16(12 + 12 * k, type, true);
    v.setUint32(14 + 12 * k, 1, true);
    if (type === 3) v.setUint16(18 + 12 * k, value, true);
    else v.setUint32(18 + 12 * k, value, true);
  });
  bytes.set(strip, 128);
  return bytes;
}

/** LZW's most expanding stream within `size` bytes: after each clear code a literal, then every
 * code the entry it makes until the table is full, then the longest entry 1024 times (the most
 * the decoders take, as libtiff). Returns the stream and the bytes it decodes to. */
function worstLzw(size) {
  const codes = [];
  let decoded = 0;
  let bits = 0;
  for (;;) {
    const cycle = [
      [256, codes.length ? 12 : 9],
      [0, 9],
    ];
    let [width, len, out] = [9, 1, 1];
    for (let next = 258; next < 4096;) {
      cycle.push([next, width]);
      out += ++len;
      next++;
      if (next === (1 << width) - 1 && width < 12) width++;
    }
    for (let k = 0; k < 1024; k++, out += len) cycle.push([4095, 12]);
    const cost = cycle.reduce((a, [, w]) => a + w, 0);
    if (bits + cost > size * 8) break;
    codes.push(...cycle);
    [bits, decoded] = [bits + cost, decoded + out];
  }
  const stream = new Uint8Array(Math.ceil(bits / 8));
  let p = 0;
  for (const [code, w] of codes) for (let b = w - 1; b >= 0; b--, p++) if ((code >> b) & 1) stream[p >> 3] |= 0x80 >> (p & 7);
  return { stream, decoded };
}

/** A 16-bit gray PNG of `width` x `height` zeros (rows filtered None), its IDAT deflated. */
function png16(width, height) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    return out; // the reader does not check CRCs
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([16, 0, 0, 0, 0], 8);
  const idat = deflateSync(Buffer.alloc(height * (2 * width + 1)), { level: 9 });
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** A progressive JPEG made by Pillow (64x64, gray or RGB 4:4:4) with its frame header claiming
 * `side` x `side`, padded with zeros to `size` bytes before its end-of-image marker. */
function progressiveJpeg(side, size, rgb) {
  const out = join(work, 'base.jpg');
  execFileSync('/usr/bin/python3', [
    '-c',
    `from PIL import Image; import numpy as np
a = (np.random.default_rng(1).random((64, 64${rgb ? ', 3' : ''})) * 255).astype('uint8')
Image.fromarray(a).save('${out}', progressive=True, quality=90${rgb ? ', subsampling=0' : ''})`,
  ]);
  const b = Buffer.from(execFileSync('cat', [out]));
  const at = b.indexOf(Buffer.from([0xff, 0xc2]));
  b.set([side >> 8, side & 255, side >> 8, side & 255], at + 5);
  return size > b.length ? Buffer.concat([b.subarray(0, -2), Buffer.alloc(size - b.length), Buffer.from([0xff, 0xd9])]) : b;
}

const KB100 = 100 * 1024;
const lzw = worstLzw(KB100 - 128);
const files = {
  'lzw-claims-268MB.tif': tiff(16384, 16384, 5, lzw.stream),
  'lzw-worst-passing.tif': tiff(16384, Math.floor(lzw.decoded / 16384), 5, lzw.stream),
  'png16-100MB.png': png16(5000, 10000),
  'progressive-3KB-claims-16384.jpg': progressiveJpeg(16384, 0, false),
  'progressive-gray-worst-passing.jpg': progressiveJpeg(7200, KB100, false),
  'progressive-rgb-7200.jpg': progressiveJpeg(7200, KB100, true),
  'progressive-rgb-worst-passing.jpg': progressiveJpeg(4170, KB100, true),
};
console.log('| file | bytes | outcome | ms | RSS growth MiB |\n|---|---|---|---|---|');
for (const [name, bytes] of Object.entries(files)) {
  const path = join(work, name);
  writeFileSync(path, bytes);
  const r = JSON.parse(execFileSync(process.execPath, [child, path], { encoding: 'utf8' }).trim().split('\n').pop());
  console.log(`| ${name} | ${r.bytes} | ${r.outcome.slice(0, 110)} | ${r.ms.toFixed(0)} | ${r.growthMiB.toFixed(0)} |`);
}
