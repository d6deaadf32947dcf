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
import { pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

const work = resolve('.tmp/bounds');
mkdirSync(work, { recursive: true });
const child = join(work, 'child.mjs');
await build({ entryPoints: ['bench/bounds-child.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: child, logLevel: 'warning' });

// the LZW stream and the TIFF around it, as the specs build them (scripts/hostile-files.ts)
const helpers = join(work, 'hostile-files.mjs');
await build({ entryPoints: ['scripts/hostile-files.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: helpers, logLevel: 'warning' });
const { lzwWorstRun, oneStripTiff, packCodes } = await import(pathToFileURL(helpers).href);

/** LZW's most expanding stream within `size` bytes: runs of lzwWorstRun (each, after its clear
 * code, every code the entry it makes until the table is full, then the longest entry 1024 times:
 * the most the decoders take, as libtiff) while they fit. Returns the stream and the bytes it
 * decodes to. */
function worstLzw(size) {
  const codes = [];
  let decoded = 0;
  let bits = 0;
  for (;;) {
    const run = lzwWorstRun(1024, codes.length ? 12 : 9);
    const cost = run.reduce((a, [, w]) => a + w, 0);
    if (bits + cost > size * 8) break;
    codes.push(...run);
    // a literal, entries of 2 ... 3839 bytes, then 1024 of 3839
    [bits, decoded] = [bits + cost, decoded + 1 + (3838 * (2 + 3839)) / 2 + 1024 * 3839];
  }
  return { stream: packCodes(codes), decoded };
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
  'lzw-claims-268MB.tif': oneStripTiff(16384, 16384, 5, lzw.stream),
  'lzw-worst-passing.tif': oneStripTiff(16384, Math.floor(lzw.decoded / 16384), 5, lzw.stream),
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
