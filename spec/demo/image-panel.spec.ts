import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { Subject } from 'rxjs';
import { colormapTable, useBackend } from 'npstreams-rx';
import { DashboardService, type PanelKind } from '../../demo/src/app/dashboard.service';
import { ImagePanel } from '../../demo/src/app/image-panel';

// The dashboard's image panel: a caption over the library's <nps-tensor-image>, fed by the
// service's previews for its kind (a stand-in service here, its previews pushed by the spec).
describe('ImagePanel', () => {
  const images = { frame: new Subject<tf.Tensor>(), mean: new Subject<tf.Tensor>(), sem: new Subject<tf.Tensor>() } satisfies Record<PanelKind, Subject<tf.Tensor>>;
  beforeAll(async () => {
    await useBackend('cpu');
  });
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), { provide: DashboardService, useValue: { images } }] });
  });

  async function panel(colormap: string) {
    const fixture = TestBed.createComponent(ImagePanel);
    fixture.componentRef.setInput('kind', 'mean');
    fixture.componentRef.setInput('title', 'Running mean');
    fixture.componentRef.setInput('colormap', colormap);
    await fixture.whenStable();
    return fixture;
  }

  it('a caption and a canvas labelled for screen readers, drawing the previews of its kind with the colour bar labelled', async () => {
    const fixture = await panel('gray');
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('figcaption')?.textContent?.trim()).toBe('Running mean');
    const canvas = el.querySelector('canvas[role=img]') as HTMLCanvasElement;
    expect(canvas.getAttribute('aria-label')).toBe('Running mean, colormap gray');
    expect(images.mean.observed).withContext('the panel follows the mean previews').toBeTrue();
    expect(images.frame.observed).withContext('and not the others').toBeFalse();
    const x = tf.tensor2d([
      [0.001234, 1],
      [2, 98765.4],
    ]);
    images.mean.next(x);
    x.dispose();
    await new Promise((r) => setTimeout(r, 50));
    await fixture.whenStable();
    expect(Array.from(el.querySelectorAll('.bar span')).map((e) => e.textContent?.trim())).toEqual(['1.23e-3', '9.877e+4']);
    // the lowest value takes the gray map's first entry
    const gray = colormapTable('gray');
    expect(Array.from(canvas.getContext('2d')!.getImageData(0, 0, 1, 1).data).slice(0, 3)).toEqual([gray[0], gray[1], gray[2]]);
    fixture.destroy();
    expect(images.mean.observed).toBeFalse();
  });

  it('the colour bar is the colormap, low to high, and follows a change of colormap', async () => {
    const fixture = await panel('viridis');
    const bar = (fixture.nativeElement as HTMLElement).querySelector('.bar canvas') as HTMLCanvasElement;
    const row = () => Array.from(bar.getContext('2d')!.getImageData(0, 0, 256, 1).data);
    const expected = (name: 'viridis' | 'gray') => {
      const t = colormapTable(name);
      return Array.from({ length: 256 }, (_, k) => [t[3 * k], t[3 * k + 1], t[3 * k + 2], 255]).flat();
    };
    expect(row()).toEqual(expected('viridis'));
    fixture.componentRef.setInput('colormap', 'gray');
    await fixture.whenStable();
    expect(row()).toEqual(expected('gray'));
    fixture.destroy();
  });
});
