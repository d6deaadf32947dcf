import { Component, DestroyRef, type ElementRef, afterNextRender, inject, signal, viewChild } from '@angular/core';
import { scanMean, setWasmPaths, useBackend } from 'npstreams-rx';
import { type Subscription, auditTime, interval, map, take } from 'rxjs';

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
    <h1>npstreams-rx: running mean of a noisy stream</h1>
    <p>Backend: <b>{{ backend() }}</b></p>
    <canvas #canvas [width]="size" [height]="size"></canvas>
    <p>Frames averaged: <b>{{ frames() }}</b> / {{ total }}</p>
    <p>Mean of the mean image: <b>{{ average() }}</b></p>
  `,
  styles: `
    :host { display: block; padding: 1rem 2rem; }
    canvas { width: 256px; height: 256px; image-rendering: pixelated; border: 1px solid #888; }
  `,
})
export class App {
  protected readonly size = SIZE;
  protected readonly total = FRAMES;
  protected readonly backend = signal('starting…');
  protected readonly frames = signal(0);
  protected readonly average = signal('–');
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');

  constructor() {
    let subscription: Subscription | undefined;
    let destroyed = false;
    inject(DestroyRef).onDestroy(() => {
      destroyed = true;
      subscription?.unsubscribe();
    });
    afterNextRender(async () => {
      try {
        setWasmPaths('/tfjs-wasm/');
        this.backend.set(await useBackend());
      } catch (err) {
        this.backend.set(`failed: ${(err as Error).message}`);
        return;
      }
      if (destroyed) return;
      subscription = interval(PERIOD_MS)
        .pipe(
          take(FRAMES),
          map(makeFrame),
          scanMean(),
          map((mean, i) => ({ mean, count: i + 1 })),
          // at most one preview per 100 ms, and the final mean too (auditTime emits after completion)
          auditTime(100),
        )
        // The operator owns each emitted tensor until its next emission: read it, never dispose it.
        .subscribe(({ mean, count }) => this.draw(mean.dataSync(), count));
    });
  }

  private draw(values: ArrayLike<number>, count: number): void {
    const ctx = this.canvas().nativeElement.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(SIZE, SIZE);
    let sum = 0;
    for (let k = 0; k < values.length; k++) {
      sum += values[k];
      const gray = Math.max(0, Math.min(255, Math.round(values[k] * 255)));
      image.data.set([gray, gray, gray, 255], 4 * k);
    }
    ctx.putImageData(image, 0, 0);
    this.frames.set(count);
    this.average.set((sum / values.length).toFixed(4));
  }
}
