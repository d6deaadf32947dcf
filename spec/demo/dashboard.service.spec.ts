import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { Subscription } from 'rxjs';
import { decodeFile, encodeArray } from 'npstreams-rx';
import { DASHBOARD_THREAD, DashboardService, type PanelKind } from '../../demo/src/app/dashboard.service';

const until = async (ok: () => boolean, ms = 20000) => {
  const t0 = performance.now();
  while (!ok()) {
    if (performance.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('DashboardService', () => {
  let service: DashboardService;
  /** Each panel's last preview: its shape and the range of its values, read as it came. */
  const shapes = {} as Record<PanelKind, number[]>;
  const ranges = {} as Record<PanelKind, [number, number]>;
  let watching: Subscription;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
    service = TestBed.inject(DashboardService);
    watching = new Subscription();
    for (const kind of ['frame', 'mean', 'sem'] as PanelKind[]) {
      watching.add(
        service.images[kind].subscribe((t) => {
          // read at once: a preview is valid until its pipeline's next one
          const v = t.dataSync();
          shapes[kind] = t.shape;
          ranges[kind] = [Math.min(...v), Math.max(...v)];
        }),
      );
    }
    service.size = 32;
    service.rate = 60;
    await service.init('cpu');
  });
  afterEach(() => {
    watching.unsubscribe();
    service.ngOnDestroy();
  });

  it('runs the detector: frames counted, three images drawn, the mean SEM falling; pause holds, reset frees every tensor', async () => {
    const baseline = tf.memory().numTensors;
    service.start();
    await until(() => service.frames() >= 12 && service.sem().length >= 6);
    service.pause();
    await new Promise((r) => setTimeout(r, 150));
    const held = service.frames();
    await new Promise((r) => setTimeout(r, 200));
    expect(service.frames()).withContext('no frames while paused').toBe(held);
    for (const kind of ['frame', 'mean', 'sem'] as PanelKind[]) {
      expect(shapes[kind]).withContext(kind).toEqual([32, 32]);
      expect(ranges[kind][1]).withContext(`${kind}: the values previewed`).toBeGreaterThan(ranges[kind][0]);
    }
    const sem = service.sem();
    expect(sem[sem.length - 1].value).toBeLessThan(sem[0].value);
    expect(service.backend()).toBe('cpu');
    expect(service.renderer()).toBe('CPU (JavaScript)');
    service.reset();
    await new Promise((r) => setTimeout(r, 50));
    expect(service.frames()).toBe(0);
    expect(tf.memory().numTensors).withContext('tensors after reset').toBe(baseline);
  });

  it('averages files: the downloaded mean is the mean of the files, as a .npy NumPy reads', async () => {
    const a = Float32Array.from({ length: 12 }, (_, i) => i);
    const b = Float32Array.from({ length: 12 }, (_, i) => 100 - 3 * i);
    const file = async (data: Float32Array, name: string) => new File([(await encodeArray({ data, shape: [3, 4], dtype: 'float32' })) as BlobPart], name);
    service.averageFiles([await file(a, 'a.npy'), await file(b, 'b.npy')]);
    await until(() => service.finished());
    expect(service.frames()).toBe(2);
    expect(service.source()).toBe('2 files');
    expect(service.running()).withContext('paused at the end').toBeFalse();
    const blob = await service.downloadMean();
    const [mean] = await decodeFile(new Uint8Array(await blob!.arrayBuffer()), 'mean.npy');
    expect(mean.shape).toEqual([3, 4]);
    expect(Array.from(mean.data)).toEqual(Array.from(a, (v, i) => (v + b[i]) / 2));
  });

  it('changes backend: the running state goes, the new backend and its renderer are shown', async () => {
    await service.setBackend('wasm');
    expect(service.backend()).toBe('wasm');
    expect(service.renderer()).toBe('CPU (WebAssembly SIMD)');
    expect(service.frames()).toBe(0);
  });

  it('a backend that cannot start: the error names it, the dashboard goes on with the backend it had', async () => {
    await service.setBackend('metal' as never);
    expect(service.error()).toContain("unknown backend 'metal'");
    expect(service.backend()).toBe('cpu');
    service.start();
    await until(() => service.frames() >= 2);
    expect(tf.getBackend()).toBe('cpu');
  });
});

// The same service with its reductions and drawing in its worker (reduction.worker.ts): the page
// sees only messages and the canvases it handed over.
describe('DashboardService in worker mode', () => {
  let service: DashboardService;
  const canvases = {} as Record<PanelKind, OffscreenCanvas>;

  beforeEach(async () => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: DASHBOARD_THREAD, useValue: 'worker' }] });
    service = TestBed.inject(DashboardService);
    service.size = 32;
    service.rate = 60;
    await service.init('cpu');
    for (const kind of ['frame', 'mean', 'sem'] as PanelKind[]) {
      // a placeholder canvas of the page, its control handed to the worker as the panels do
      const canvas = document.createElement('canvas');
      canvases[kind] = canvas.transferControlToOffscreen();
      service.attachCanvas(kind, canvases[kind], 16);
    }
  });
  afterEach(() => service.ngOnDestroy());

  it('runs the detector there: frames counted, each panel drawn with its range, the SEM falling; reset frees its tensors; no tensor on the page', async () => {
    const pageTensors = tf.memory().numTensors;
    expect(service.backend()).toBe('cpu');
    expect(service.renderer()).toBe('CPU (JavaScript)');
    service.start();
    await until(() => service.frames() >= 12 && service.sem().length >= 6 && Object.values(service.ranges).every((r) => r() !== null));
    service.pause();
    for (const kind of ['frame', 'mean', 'sem'] as PanelKind[]) {
      const { lo, hi } = service.ranges[kind]()!;
      expect(hi).withContext(`${kind}: the range drawn`).toBeGreaterThan(lo);
    }
    // the expected counts are 20 to ~420 (detector.spec.ts): the mean's range lies within Poisson noise of them
    expect(service.ranges.mean()!.lo).toBeGreaterThan(5);
    expect(service.ranges.mean()!.hi).toBeLessThan(600);
    const sem = service.sem();
    expect(sem[sem.length - 1].value).toBeLessThan(sem[0].value);
    await until(() => service.tensors() > 0);
    const running = service.tensors();
    service.reset();
    expect(service.frames()).toBe(0);
    await until(() => service.tensors() < running);
    expect(service.tensors()).withContext("the worker's tensors after reset").toBe(0);
    expect(tf.memory().numTensors).withContext('tensors on the page').toBe(pageTensors);
  });

  it('averages files there: the downloaded mean is the mean of the files; a corrupt file is named', async () => {
    const a = Float32Array.from({ length: 12 }, (_, i) => i);
    const b = Float32Array.from({ length: 12 }, (_, i) => 100 - 3 * i);
    const file = async (data: Float32Array, name: string) => new File([(await encodeArray({ data, shape: [3, 4], dtype: 'float32' })) as BlobPart], name);
    service.averageFiles([await file(a, 'a.npy'), new File([new Uint8Array([0x93, 1, 2])], 'broken.npy'), await file(b, 'b.npy')]);
    await until(() => service.finished());
    expect(service.frames()).toBe(2);
    expect(service.problems().join()).toContain('broken.npy');
    const blob = await service.downloadMean();
    const [mean] = await decodeFile(new Uint8Array(await blob!.arrayBuffer()), 'mean.npy');
    expect(mean.shape).toEqual([3, 4]);
    expect(Array.from(mean.data)).toEqual(Array.from(a, (v, i) => (v + b[i]) / 2));
  });

  it('a backend that cannot start there: the error names it, the worker goes on with the backend it had', async () => {
    await service.setBackend('metal' as never);
    expect(service.error()).toContain("unknown backend 'metal'");
    expect(service.backend()).toBe('cpu');
    service.start();
    await until(() => service.frames() >= 2);
  });
});
