// A new user's dashboard, written from the README alone: a synthetic 256x256 stream cleaned on Web
// Workers (npstreams-rx/worker), its running mean drawn and its standard error's convergence
// reported (npstreams-rx). scripts/test-dist.mjs builds it from the packed tarball under Angular's
// default budgets and opens it in Chromium.
import { ChangeDetectionStrategy, Component, type ElementRef, type OnDestroy, afterNextRender, signal, viewChild } from '@angular/core';
import { type Subscription, connect, map, merge, range, tap } from 'rxjs';
import { drawTo, frameStats, pmap, previewEvery, scanMean, scanSem, setWasmPaths, useBackend } from 'npstreams-rx';
import { workerPool } from 'npstreams-rx/worker';

type Denoise = typeof import('./denoise.worker').functions;

const SIZE = 256;
const FRAMES = 40;

/** Frame i: a ramp plus deterministic noise in [-0.5, 0.5). */
function synthetic(i: number): { data: Float32Array; shape: number[] } {
  const data = new Float32Array(SIZE * SIZE);
  for (let k = 0; k < data.length; k++) data[k] = (k % SIZE) / SIZE + (((k * 7919 + i * 104729) % 1000) / 1000 - 0.5);
  return { data, shape: [SIZE, SIZE] };
}

@Component({
  selector: 'app-root',
  template: `
    <canvas #image [width]="size" [height]="size"></canvas>
    <p data-testid="status">{{ status() }}</p>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App implements OnDestroy {
  protected readonly size = SIZE;
  protected readonly status = signal('starting');
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('image');
  private subscription?: Subscription;
  private readonly pool = workerPool<Denoise>(() => new Worker(new URL('./denoise.worker', import.meta.url), { type: 'module' }), { size: 2 });

  constructor() {
    afterNextRender(() => void this.start());
  }

  private async start(): Promise<void> {
    await setWasmPaths('/tfjs-wasm/');
    const backend = await useBackend();
    let frames = 0;
    let sem = NaN;
    this.subscription = range(0, FRAMES)
      .pipe(
        map(synthetic),
        pmap(this.pool.fn('denoise'), { concurrency: this.pool.size }),
        connect((clean$) =>
          merge(
            clean$.pipe(scanMean(), previewEvery(), drawTo(this.canvas().nativeElement, { colormap: 'magma', range: 'auto' })),
            clean$.pipe(
              scanSem(),
              frameStats(),
              tap((s) => ((frames = s.frames), (sem = s.mean))),
            ),
          ),
        ),
      )
      .subscribe({
        complete: () => this.status.set(`done: ${frames} frames on ${backend}, mean standard error ${sem.toPrecision(3)}`),
        error: (err: unknown) => this.status.set(`failed: ${String(err)}`),
      });
  }

  ngOnDestroy(): void {
    this.subscription?.unsubscribe();
    this.pool.terminate();
  }
}
