import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFile, reduceMean, useBackend } from '../projects/npstreams-rx/src/public-api';
import { lastValueFrom } from 'rxjs';
import { makeSamples, sampleFrame } from '../scripts/samples';
import { load, runCli } from '../projects/npstreams-rx/node/src/public-api';
import { cli } from './helpers/cli';

const COUNT = 6;
const SIZE = 24;

/** The float64 statistic of the sample frames along the stream, per pixel. */
function expected(stat: 'mean' | 'var' | 'max', ddof = 0): number[] {
  const frames = Array.from({ length: COUNT }, (_, k) => sampleFrame(k, SIZE));
  return Array.from({ length: SIZE * SIZE }, (_, i) => {
    const v = frames.map((f) => f[i]);
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    if (stat === 'mean') return mean;
    if (stat === 'max') return Math.max(...v);
    return v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - ddof);
  });
}

async function readNpy(path: string): Promise<{ data: ArrayLike<number>; shape: number[]; dtype: string }> {
  const [frame] = await decodeFile(readFileSync(path), path);
  return frame;
}

function expectClose(actual: ArrayLike<number>, want: number[], rtol: number): void {
  expect(actual.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(actual[i] - want[i]) / Math.max(Math.abs(want[i]), 1));
  expect(worst).withContext('largest relative difference').toBeLessThanOrEqual(rtol);
}

describe('the npstreams-rx command', () => {
  let dir: string;
  // results go apart from the samples, or later globs would take them in
  const out = (name: string) => join(dir, 'out', name);

  beforeAll(async () => {
    await useBackend(); // what the command picks for --backend auto
    dir = mkdtempSync(join(tmpdir(), 'npstreams-rx-cli-'));
    await makeSamples(dir, { count: COUNT, size: SIZE });
    copyFileSync('spec/fixtures/io/corrupt.png', join(dir, 'rings-999-bad.png'));
    mkdirSync(join(dir, 'out'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('mean of HDF5 datasets (the NeXus default; a glob with ::/path): the float64 mean of their frames; a missing dataset exits 1 naming it', async () => {
    const want = (JSON.parse(readFileSync('spec/fixtures/hdf5/expected.json', 'utf8')) as Record<string, { frames: number[][] }>)['nexus.h5'].frames;
    const exact = want[0].map((_, i) => want.reduce((t, f) => t + f[i], 0) / want.length);
    let r0 = { code: -1, stdout: '', stderr: '' };
    for (const source of ['spec/fixtures/hdf5/nexus.h5', 'spec/fixtures/hdf5/nex*.h5::/entry/data/bslz4']) {
      r0 = await cli('mean', source, '--out', out('h5.npy'), '-q');
      const r = r0;
      expect(r.code).withContext(r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^npstreams-rx: mean of 4 frames of shape \[16, 12\] int32 from 1 files, on /);
      const { data, shape } = await readNpy(out('h5.npy'));
      expect(shape).toEqual([16, 12]);
      expectClose(data, exact, 1e-6);
    }
    // folded by the command without tfjs: the operator's numbers (reduceMean on wasm), bit for bit
    expect(r0.stdout).toContain('folded on this thread');
    const operator = await lastValueFrom(load('spec/fixtures/hdf5/nexus.h5::/entry/data/bslz4').pipe(reduceMean()));
    expect(Array.from((await readNpy(out('h5.npy'))).data)).toEqual(Array.from(await operator.data()));
    operator.dispose();
    // threads read the frames: the same mean, bit for bit
    const threaded = await cli('mean', 'spec/fixtures/hdf5/nexus.h5', '--workers', '2', '--out', out('h5w.npy'), '-q');
    expect(threaded.code).withContext(threaded.stderr).toBe(0);
    expect(threaded.stdout).toContain('decoded on 2 worker threads');
    expect(Array.from((await readNpy(out('h5w.npy'))).data)).toEqual(Array.from((await readNpy(out('h5.npy'))).data));
    // the fold refuses a frame of another shape as the operator does, naming the item
    const mixed = await cli('mean', 'spec/fixtures/hdf5/nexus.h5', 'spec/fixtures/hdf5/plain.h5', '--out', out('mixed.npy'), '-q');
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('reduceMean: item 4 has shape [8, 6], expected [16, 12] (the shape of item 0)');
    const bad = await cli('mean', 'spec/fixtures/hdf5/nexus.h5::/entry/nope', '--out', out('bad.npy'), '-q');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('spec/fixtures/hdf5/nexus.h5: has no dataset /entry/nope; /entry holds /entry/data');
  });

  it('--mask-max --ignore-nan over an Eiger file: NumPy nanmean and nanmax of the counts, written to HDF5 with its attributes; --dataset for every file', async () => {
    const masked = JSON.parse(readFileSync('spec/fixtures/masked/expected.json', 'utf8')) as { nan: Record<string, (number | null)[]> };
    const fromJson = (v: (number | null)[]) => v.map((x) => (x === null ? NaN : x));
    for (const [statistic, extra] of [
      ['mean', ['--dataset', '/entry/data/data']],
      ['max', []],
    ] as const) {
      const r = await cli(statistic, 'spec/fixtures/masked/eiger.h5', ...extra, '--mask-max', '--ignore-nan', '--out', `${out('nan.h5')}::/results/${statistic}`);
      expect(r.code).withContext(r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^npstreams-rx: ${statistic} of 5 frames of shape \\[6, 8\\] float32 from 1 files`));
      // h5py reads the dataset and its attributes
      const python = process.env['NPSTREAMS_PYTHON'];
      if (!python) throw new Error('this spec needs Python with h5py: scripts/test-node.mjs found none and could not install python3-h5py');
      const py = spawnSync(python, [
        '-c',
        `import h5py, json, numpy as np
with h5py.File('${out('nan.h5')}') as f:
    d = f['/results/${statistic}']
    a = dict(d.attrs)
    print(json.dumps({'values': [None if np.isnan(v) else float(v) for v in d[()].ravel()], 'shape': list(d.shape), 'dtype': str(d.dtype),
      'statistic': a['statistic'], 'frames': int(a['frames']), 'sources': [str(s) for s in a['sources']], 'version': a['version']}))`,
      ]);
      expect(py.status).withContext(String(py.stderr)).toBe(0);
      const got = JSON.parse(String(py.stdout)) as { values: (number | null)[]; shape: number[]; dtype: string; statistic: string; frames: number; sources: string[]; version: string };
      expect(got).toEqual(jasmine.objectContaining({ shape: [6, 8], dtype: 'float32', statistic, frames: 5, sources: ['spec/fixtures/masked/eiger.h5' + (extra.length ? '::/entry/data/data' : '')] }));
      expect(got.version).toMatch(/^\d+\.\d+\.\d+/);
      const want = fromJson(masked.nan[statistic]);
      const values = fromJson(got.values);
      want.forEach((w, i) =>
        expect(Number.isNaN(w) ? Number.isNaN(values[i]) : Math.abs(values[i] - w) <= 1e-6 * Math.max(1, Math.abs(w)))
          .withContext(`[${i}]: ${values[i]} vs ${w}`)
          .toBeTrue(),
      );
    }
    // without --mask-max: the first masked pixel named, with the option
    const refused = await cli('mean', 'spec/fixtures/masked/eiger.h5', '--out', out('refused.npy'), '-q');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/eiger\.h5::\/entry\/data\/data: frame 0: sample 9 \(row 1, column 1\) is 4294967295, beyond int32 .*--mask-max/);
    // the options' words
    expect((await cli('histogram', 'spec/fixtures/masked/eiger.h5', '--bins', '0:10:2', '--ignore-nan', '--out', out('h.npy'))).stderr).toContain(
      '--ignore-nan does not apply to histogram (it never counts NaN)',
    );
    expect((await cli('mean', 'spec/fixtures/masked/eiger.h5', '--dataset', 'entry/data', '--out', out('d.npy'))).stderr).toContain("--dataset entry/data: give the dataset's absolute path");
  });

  it('HDF5 progress counts frames (the files hold many): plain lines to the last frame', async () => {
    const r = await cli('mean', 'spec/fixtures/hdf5/nexus.h5', 'spec/fixtures/hdf5/nexus.h5::/entry/data/bslz4', '--out', out('p.npy'));
    expect(r.code).withContext(r.stderr).toBe(0);
    expect(r.stderr).toContain('npstreams-rx: 8/8 frames, 2 files');
  });

  it('mean of a quoted glob of .npy files: exit 0, the float64 mean within float32 rounding, a summary line, plain progress lines', async () => {
    const r = await cli('mean', `${dir}/*.npy`, '--out', out('mean.npy'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^npstreams-rx: mean of ${COUNT} frames of shape \\[${SIZE}, ${SIZE}\\] float32 from ${COUNT} files, on (wasm|cpu), in \\d+\\.\\d\\d s -> .*mean\\.npy \\[${SIZE}, ${SIZE}\\] float32\\n$`,
      ),
    );
    expect(r.stderr).toContain(`npstreams-rx: ${COUNT}/${COUNT} files, ${COUNT} frames`);
    const mean = await readNpy(out('mean.npy'));
    expect(mean.shape).toEqual([SIZE, SIZE]);
    expectClose(mean.data, expected('mean'), 1e-6);
  });

  it('mean of .npy files with --workers 2: folded on threads (foldFiles), the same bits as one thread; a sum of them too', async () => {
    const one = await cli('mean', `${dir}/*.npy`, '--out', out('fold1.npy'));
    const two = await cli('mean', `${dir}/*.npy`, '--out', out('fold2.npy'), '--workers', '2');
    expect([one.code, two.code]).toEqual([0, 0]);
    // 24x24 frames are too small to split: one thread folds them
    expect(two.stdout).toContain('on wasm, folded on 1 worker thread, in');
    expect(readFileSync(out('fold2.npy'))).toEqual(readFileSync(out('fold1.npy')));
    const sum = await cli('sum', `${dir}/*.npy`, '--out', out('fold-sum.npy'), '--workers', '2');
    expect(sum.code).toBe(0);
    expectClose(
      (await readNpy(out('fold-sum.npy'))).data,
      expected('mean').map((v) => v * COUNT),
      1e-6,
    );
  });

  it('mean of PNGs with --workers 2: decoded on 2 threads, folded on this one, the same bits as one thread, the float64 mean', async () => {
    const one = await cli('mean', `${dir}/*[0-9].png`, '--out', out('png1.npy'), '-q');
    const two = await cli('mean', `${dir}/*[0-9].png`, '--out', out('png2.npy'), '--workers', '2', '-q');
    expect([one.code, two.code])
      .withContext(one.stderr + two.stderr)
      .toEqual([0, 0]);
    expect(two.stdout).toContain(`mean of ${COUNT} frames of shape [${SIZE}, ${SIZE}] int32 from ${COUNT} files, on wasm, decoded on 2 worker threads, folded on this one, in`);
    expect(readFileSync(out('png2.npy'))).toEqual(readFileSync(out('png1.npy')));
    expectClose((await readNpy(out('png2.npy'))).data, expected('mean'), 1e-6);
  });

  it('var --ddof 1 of 16-bit TIFFs decoded on 2 worker threads equals the one-pass value, bit for bit the same as one thread', async () => {
    const r = await cli('var', `${dir}/*.tif`, '-o', out('var.npy'), '--ddof', '1', '--workers', '2', '--backend', 'cpu');
    expect(r.code).withContext(r.stderr).toBe(0);
    expect(r.stdout).toContain(`var of ${COUNT} frames of shape [${SIZE}, ${SIZE}] int32 from ${COUNT} files, on cpu, decoded on 2 worker threads`);
    const threads = (await readNpy(out('var.npy'))).data;
    expectClose(threads, expected('var', 1), 1e-5);
    expect((await cli('var', `${dir}/*.tif`, '-o', out('var1.npy'), '--ddof', '1', '--backend', 'cpu', '-q')).code).toBe(0);
    expect(Array.from(threads)).toEqual(Array.from((await readNpy(out('var1.npy'))).data));
  });

  it("--workers with an item axis: each frame reduced along it, stacked in the files' order", async () => {
    const r = await cli('mean', `${dir}/*.npy`, '-o', out('axis0.npy'), '--axis', '0', '--workers', '2', '-q');
    expect(r.code).withContext(r.stderr).toBe(0);
    const got = await readNpy(out('axis0.npy'));
    expect(got.shape).toEqual([SIZE, COUNT]);
    const frames = Array.from({ length: COUNT }, (_, k) => sampleFrame(k, SIZE));
    // np.mean(np.stack(frames, -1), axis=0)[j, k] = mean over rows of frame k's column j
    const want = Array.from({ length: SIZE * COUNT }, (_, i) => {
      const [j, k] = [Math.floor(i / COUNT), i % COUNT];
      let t = 0;
      for (let y = 0; y < SIZE; y++) t += frames[k][y * SIZE + j];
      return t / SIZE;
    });
    expectClose(got.data, want, 1e-6);
  });

  it('max of 16-bit PNGs written as a 16-bit PNG; histogram with start:stop:count bins', async () => {
    expect((await cli('max', `${dir}/rings-00[0-5].png`, '-o', out('max.png'), '-q')).code).toBe(0);
    const [max] = await decodeFile(readFileSync(out('max.png')), 'max.png');
    expect(Array.from(max.data)).toEqual(expected('max'));
    const r = await cli('histogram', `${dir}/*.npy`, '-o', out('hist.npy'), '--bins', '0:65536:4', '-q');
    expect(r.code).withContext(r.stderr).toBe(0);
    const all = Array.from({ length: COUNT }, (_, k) => Array.from(sampleFrame(k, SIZE))).flat();
    const counts = [0, 1, 2, 3].map((b) => all.filter((v) => v >= b * 16384 && v < (b + 1) * 16384).length);
    expect(Array.from((await readNpy(out('hist.npy'))).data)).toEqual(counts);
  });

  it('--axis none: the sum over every axis of every frame, a scalar; --axis 1: each frame along its axis 1, stacked', async () => {
    expect((await cli('sum', `${dir}/*.npy`, '-o', out('all.npy'), '--axis', 'none', '-q')).code).toBe(0);
    const all = await readNpy(out('all.npy'));
    const total = Array.from({ length: COUNT }, (_, k) => sampleFrame(k, SIZE).reduce((a, b) => a + b, 0)).reduce((a, b) => a + b, 0);
    expect(all.shape).toEqual([]);
    expect(Math.abs(all.data[0] - total) / total).toBeLessThanOrEqual(1e-6);
    expect((await cli('max', `${dir}/*.npy`, '-o', out('rows.npy'), '--axis', '1', '-q')).code).toBe(0);
    const rows = await readNpy(out('rows.npy'));
    // np.max(np.stack(frames, -1), axis=1): [SIZE rows, COUNT frames]
    expect(rows.shape).toEqual([SIZE, COUNT]);
    const f2 = sampleFrame(2, SIZE);
    expect(rows.data[5 * COUNT + 2]).toBe(Math.max(...f2.slice(5 * SIZE, 6 * SIZE)));
  });

  it('a corrupt file: exit 1 naming it and the reason; --skip-bad reports it and goes on', async () => {
    const bad = await cli('mean', `${dir}/*.png`, '-o', out('bad.npy'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`npstreams-rx: ${dir}/rings-999-bad.png: cannot be decoded as png`);
    expect(bad.stderr).toContain('(--skip-bad skips unreadable files)');
    const skip = await cli('mean', `${dir}/*.png`, '-o', out('skip.npy'), '--skip-bad');
    expect(skip.code).toBe(0);
    expect(skip.stderr).toContain(`npstreams-rx: skipped ${dir}/rings-999-bad.png: cannot be decoded as png`);
    expect(skip.stdout).toContain(`from ${COUNT} files (1 skipped)`);
    expectClose((await readNpy(out('skip.npy'))).data, expected('mean'), 1e-6);
  });

  it('--max-pixels: a file declaring more is refused before decoding, named (folded and through load alike)', async () => {
    for (const extra of [[], ['--axis', '-1']]) {
      const r = await cli('mean', `${dir}/*.npy`, '-o', out('limit.npy'), '--max-pixels', '100', ...extra);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`npstreams-rx: .*\\.npy: cannot be decoded as npy: shape \\(${SIZE}, ${SIZE}\\) is ${SIZE * SIZE} pixels, beyond maxPixels 100`));
    }
  });

  it('a missing path and a glob matching nothing: exit 1, named', async () => {
    const missing = await cli('sum', join(dir, 'nope.npy'), '-o', out('x.npy'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.npy: cannot be read: ENOENT/);
    const none = await cli('sum', `${dir}/*.gif`, '-o', out('x.npy'));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`${dir}/*.gif: no file matches this glob`);
  });

  it('bad arguments: exit 2 with a message naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['median', 'a.npy', '-o', 'r.npy'], /unknown statistic 'median'/],
      [['mean', 'a.npy'], /required option '-o, --out <path>' not specified/],
      [['mean', '-o', 'r.npy'], /missing required argument 'files'/],
      [['var', 'a.npy', '-o', 'r.npy', '--ddof', 'x'], /--ddof must be an integer >= 0/],
      [['histogram', 'a.npy', '-o', 'r.npy'], /histogram needs --bins/],
      [['histogram', 'a.npy', '-o', 'r.npy', '--bins', '3,2'], /increasing numbers/],
      [['mean', 'a.npy', '-o', 'r.txt'], /--out r\.txt: the result is written as \.npy, \.png, \.tif\/\.tiff or HDF5/],
      [['mean', 'a.npy', '-o', 'r.npy', '--backend', 'gpu'], /argument 'gpu' is invalid/],
      [['mean', 'a.npy', '-o', 'r.npy', '--mean'], /unknown option '--mean'/],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code).withContext(argv.join(' ')).toBe(2);
      expect(r.stderr).withContext(argv.join(' ')).toMatch(message);
    }
  });

  it('on a TTY: a progress bar with files, frames/s and the ETA (cli-progress), then the summary', async () => {
    let stderr = '';
    let stdout = '';
    const before = tf.memory().numTensors;
    const tty = {
      isTTY: true,
      columns: 120,
      write: (s: string) => ((stderr += s), true),
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      on: () => tty,
      removeListener: () => tty,
    };
    const code = await runCli(['mean', `${dir}/*.npy`, '-o', out('tty.npy')], { stdout: { write: (s: string) => (stdout += s) }, stderr: tty });
    expect(code).toBe(0);
    expect(stderr).toMatch(new RegExp(`100% \\| ${COUNT}/${COUNT} files \\| ${COUNT} frames \\| [\\d.]+ frames/s \\| ETA`));
    expect(stdout).toContain(`mean of ${COUNT} frames`);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('--help prints the usage and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: npstreams-rx [options] <statistic> <files...>');
  });

  it('as a process (npx npstreams-rx in the workspace): exit codes 0, 1 and 2, the glob expanded by the command', () => {
    const run = (...argv: string[]) => spawnSync('node', ['scripts/npstreams-rx.mjs', ...argv], { encoding: 'utf8' });
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: npstreams-rx');
    expect(help.stdout).toContain('npstreams-rx submit <statistic> <files...> --queue URL');
    expect(help.stdout).toContain('npstreams-rx worker --queue URL');
    // the version is the package's
    const version = run('--version');
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync('projects/npstreams-rx/package.json', 'utf8')).version);
    const ok = run('sum', `${dir}/rings-00[0-2].npy`, '-o', out('sum3.npy'));
    expect(ok.status).withContext(ok.stderr).toBe(0);
    expect(ok.stdout).toContain('sum of 3 frames');
    expect(run('mean', `${dir}/*.png`, '-o', out('p.npy'), '-q').status).toBe(1);
    expect(run('mean', 'x.npy').status).toBe(2);
  });
});
