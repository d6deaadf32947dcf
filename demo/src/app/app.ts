import { Component, DestroyRef, type ElementRef, afterNextRender, inject, signal, viewChild } from '@angular/core';
import type * as tf from '@tensorflow/tfjs-core';
import { type ArrayInput, type FileFormatError, load, scanMean, setWasmPaths, useBackend } from 'npstreams-rx';
import { type Observable, type Subscription, auditTime, interval, map, take } from 'rxjs';

const SIZE = 64;
const FRAMES = 300;
const PERIOD_MS = 30;

/** A fixed pattern (concentric rings, values in [0, 1]). */
const PATTERN = Float32Array.from({ length: SIZE * SIZE }, (_, k) => {
  const r = Math.hypot((k % SIZE) - SIZE / 2, Math.floor(k / SIZE) - SIZE / 2);
  return 0.5 + 0.5 * Math.cos(r / 3);
});

/** One frame: the pattern plus uniform noise in [-1, 1]. */
function makeFrame(): { data: Float32Array; shape: number[] } {
  const data = PATTERN.map((v) => v + 2 * Math.random() - 1);
  return { data, shape: [SIZE, SIZE] };
}

@Component({
  selector: 'app-root',
  template: `
    <h1>npstreams-rx: running mean of a stream</h1>
    <p>Backend: <b>{{ backend() }}</b></p>
    <p>
      <label
        >Average your own files (.npy, PNG, TIFF, JPEG of one shape):
        <input type="file" multiple accept=".npy,.png,.tif,.tiff,.jpg,.jpeg" (change)="pick($event)"
      /></label>
    </p>
    <div class="drop" (dragover)="$event.preventDefault()" (drop)="drop($event)">
      <canvas #canvas [width]="width()" [height]="height()"></canvas>
      <span>or drop them here</span>
    </div>
    <p>{{ source() }}: <b>{{ frames() }}</b> frames averaged</p>
    <p>Mean of the mean image: <b>{{ average() }}</b></p>
    @if (problems().length) {
      <p class="problems">Skipped: {{ problems().join('; ') }}</p>
    }
  `,
  styles: `
    :host { display: block; padding: 1rem 2rem; }
    .drop { display: inline-flex; flex-direction: column; align-items: center; gap: 0.25rem; padding: 0.5rem; border: 1px dashed #888; }
    canvas { width: 256px; height: 256px; image-rendering: pixelated; border: 1px solid #888; object-fit: contain; }
    .problems { color: #a00; }
  `,
})
export class App {
  protected readonly backend = signal('starting…');
  protected readonly source = signal('');
  protected readonly frames = signal(0);
  protected readonly average = signal('–');
  protected readonly width = signal(SIZE);
  protected readonly height = signal(SIZE);
  protected readonly problems = signal<string[]>([]);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private subscription: Subscription | undefined;
  private ready = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.ready = false;
      this.subscription?.unsubscribe();
    });
    afterNextRender(async () => {
      try {
        setWasmPaths('/tfjs-wasm/');
        this.backend.set(await useBackend());
      } catch (err) {
        this.backend.set(`failed: ${(err as Error).message}`);
        return;
      }
      this.ready = true;
      this.run(interval(PERIOD_MS).pipe(take(FRAMES), map(makeFrame)), `Synthetic rings plus noise, ${FRAMES} frames`);
    });
  }

  protected pick(event: Event): void {
    this.averageFiles((event.target as HTMLInputElement).files);
  }

  protected drop(event: DragEvent): void {
    event.preventDefault();
    this.averageFiles(event.dataTransfer?.files ?? null);
  }

  private averageFiles(files: FileList | null): void {
    if (!this.ready || !files?.length) return;
    this.problems.set([]);
    // the files are read and decoded two at a time; one that cannot be is reported, not dropped silently
    const frames = load(Array.from(files), { concurrency: 2, skipBad: true, onSkip: (e: FileFormatError) => this.problems.update((p) => [...p, e.message]) });
    this.run(frames, `${files.length} files`);
  }

  /** Averages a stream of frames, previewing the running mean at most every 100 ms. */
  private run(frames: Observable<ArrayInput>, source: string): void {
    this.subscription?.unsubscribe();
    this.source.set(source);
    this.frames.set(0);
    this.subscription = frames
      .pipe(
        scanMean(),
        map((mean, i) => ({ mean, count: i + 1 })),
        // at most one preview per 100 ms, and the final mean too (auditTime emits after completion)
        auditTime(100),
      )
      // The operator owns each emission until its next one: read it at once (data() on a clone
      // works on every backend), never dispose it.
      .subscribe(({ mean, count }) => void this.draw(mean, count));
  }

  private async draw(mean: tf.Tensor, count: number): Promise<void> {
    const [height, width] = mean.shape;
    const channels = mean.shape[2] ?? 1;
    const copy = mean.clone();
    const values = await copy.data();
    copy.dispose();
    this.width.set(width);
    this.height.set(height);
    // the canvas takes its new size when Angular renders; draw after that
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const ctx = this.canvas().nativeElement.getContext('2d');
    if (!ctx) return;
    let [lo, hi, sum] = [Infinity, -Infinity, 0];
    for (let k = 0; k < values.length; k++) {
      sum += values[k];
      if (Number.isFinite(values[k])) [lo, hi] = [Math.min(lo, values[k]), Math.max(hi, values[k])];
    }
    const scale = hi > lo ? 255 / (hi - lo) : 0;
    const image = ctx.createImageData(width, height);
    for (let p = 0; p < width * height; p++) {
      // gray, or the first three channels as RGB
      const at = (c: number) => Math.round((values[p * channels + Math.min(c, channels - 1)] - lo) * scale);
      image.data.set([at(0), at(channels >= 3 ? 1 : 0), at(channels >= 3 ? 2 : 0), 255], 4 * p);
    }
    ctx.putImageData(image, 0, 0);
    this.frames.set(count);
    this.average.set((sum / values.length).toFixed(4));
  }
}
