// The browser variant of the benchmark (bench/browser.mjs serves this page in headless
// Chromium): the library's own benchmark() and benchmarkPreview() on every backend the page
// has, and files dropped on a page (Files in memory, as a drop gives them) averaged by load +
// reduceMean on wasm, beside the same with the decoders the library used before its own
// (fast-png, utif2, a conversion loop to int32), results in window.__bench.
import '@tensorflow/tfjs-backend-webgpu';
import { decode as decodePngJs } from 'fast-png';
import { lastValueFrom } from 'rxjs';
import UTIF from 'utif2';
import { type BackendName, type Frame, load, reduceMean, setWasmPaths, useBackend } from '../../projects/npstreams-rx/src/public-api';
import { benchmark, benchmarkPreview } from '../../projects/npstreams-rx/bench/src/public-api';

interface Params {
  frames: number;
  side: number;
  rounds: number;
  backends: BackendName[];
  previewFrames: number;
  previewSide: number;
}

const w = window as unknown as { __bench?: unknown; __log: string[] };
w.__log = [];
const log = (line: string) => w.__log.push(line);

async function main(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const p: Params = {
    frames: Number(q.get('frames') ?? 20),
    side: Number(q.get('side') ?? 1024),
    rounds: Number(q.get('rounds') ?? 3),
    backends: (q.get('backends') ?? 'webgl,webgpu,wasm,cpu').split(',') as BackendName[],
    previewFrames: Number(q.get('previewFrames') ?? 200),
    previewSide: Number(q.get('previewSide') ?? 1024),
  };
  await setWasmPaths('/wasm/');
  const available: { backend: BackendName; error?: string }[] = [];
  for (const backend of p.backends) {
    try {
      await useBackend(backend);
      available.push({ backend });
    } catch (err) {
      available.push({ backend, error: (err as Error).message });
    }
  }
  const backends = available.filter((a) => !a.error).map((a) => a.backend);
  const rows = await benchmark({ frames: p.frames, side: p.side, rounds: p.rounds, backends, log });
  const preview = [];
  for (const backend of backends) {
    await useBackend(backend);
    for (let r = 0; r < p.rounds; r++) {
      const result = await benchmarkPreview({ frames: p.previewFrames, side: p.previewSide });
      log(`preview ${backend}: ${result.framesPerSecond.toFixed(1)} frames/s`);
      preview.push({ backend, ...result });
    }
  }
  const files = backends.includes('wasm') ? await droppedFiles((q.get('fileFormats') ?? '').split(',').filter(Boolean), p.rounds) : [];
  w.__bench = { params: p, available, rows, preview, files, userAgent: navigator.userAgent };
}

/** The decoders before the library's own (as of 85f7feb): fast-png and utif2, then a loop into an
 * Int32Array. */
function decodeBefore(bytes: Uint8Array, name: string): Frame {
  if (name.endsWith('.png')) {
    const png = decodePngJs(bytes);
    return { data: Int32Array.from(png.data as ArrayLike<number>), shape: [png.height, png.width], dtype: 'int32' };
  }
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const [ifd] = UTIF.decode(buffer);
  UTIF.decodeImage(buffer, ifd);
  const view = new DataView(ifd.data.buffer, ifd.data.byteOffset, ifd.data.byteLength);
  const data = new Int32Array(ifd.width * ifd.height);
  for (let i = 0; i < data.length; i++) data[i] = view.getUint16(2 * i, true);
  return { data, shape: [ifd.height, ifd.width], dtype: 'int32' };
}

/** Per format: the files (served under /files/<format>/) as Files in memory, averaged on wasm by
 * load + reduceMean with the library's decoders and with the earlier ones, alternating. */
async function droppedFiles(formats: string[], rounds: number) {
  await useBackend('wasm');
  const out = [];
  for (const format of formats) {
    const names: string[] = await (await fetch(`/files/${format}/index.json`)).json();
    const files = await Promise.all(names.map(async (n) => new File([await (await fetch(`/files/${format}/${n}`)).arrayBuffer()], n)));
    const mb = files.reduce((t, f) => t + f.size, 0) / 2 ** 20;
    for (let r = 0; r < rounds; r++) {
      for (const decoders of ['library', 'before'] as const) {
        if (decoders === 'before' && format === 'npy') continue;
        const t0 = performance.now();
        const mean = await lastValueFrom(load(files, decoders === 'before' ? { loader: decodeBefore } : {}).pipe(reduceMean()));
        await mean.data();
        const s = (performance.now() - t0) / 1000;
        mean.dispose();
        log(`dropped ${format} (${decoders}): ${(files.length / s).toFixed(1)} frames/s`);
        out.push({ format, decoders, frames: files.length, framesPerSecond: files.length / s, mbPerSecond: mb / s });
      }
    }
  }
  return out;
}

main().catch((err) => (w.__bench = { error: String(err?.stack ?? err) }));
