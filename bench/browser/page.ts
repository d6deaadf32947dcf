// The browser variant of the benchmark (bench/browser.mjs serves this page in headless
// Chromium): the library's own benchmark() and benchmarkPreview() on every backend the page
// has, results in window.__bench.
import '@tensorflow/tfjs-backend-webgpu';
import { type BackendName, benchmark, benchmarkPreview, setWasmPaths, useBackend } from '../../projects/npstreams-rx/src/public-api';

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
  setWasmPaths('/wasm/');
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
  w.__bench = { params: p, available, rows, preview, userAgent: navigator.userAgent };
}

main().catch((err) => (w.__bench = { error: String(err?.stack ?? err) }));
