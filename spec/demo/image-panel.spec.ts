import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { colormapTable } from 'npstreams-rx';
import { DashboardService, type PanelTarget } from '../../demo/src/app/dashboard.service';
import { ImagePanel, formatValue } from '../../demo/src/app/image-panel';

describe('ImagePanel', () => {
  let attached: PanelTarget | undefined;
  beforeEach(() => {
    attached = undefined;
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), { provide: DashboardService, useValue: { attach: (_kind: string, t: PanelTarget) => (attached = t) } }],
    });
  });

  async function panel(colormap: string) {
    const fixture = TestBed.createComponent(ImagePanel);
    fixture.componentRef.setInput('kind', 'mean');
    fixture.componentRef.setInput('title', 'Running mean');
    fixture.componentRef.setInput('colormap', colormap);
    await fixture.whenStable();
    return fixture;
  }

  it('a caption, a canvas labelled for screen readers, attached to the dashboard service', async () => {
    const fixture = await panel('magma');
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('figcaption')?.textContent?.trim()).toBe('Running mean');
    expect(el.querySelector('canvas[role=img]')?.getAttribute('aria-label')).toBe('Running mean, colormap magma');
    expect(attached?.canvas).toBe(el.querySelector('canvas[role=img]') as HTMLCanvasElement);
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
  });

  it('the range the service reports labels the bar', async () => {
    const fixture = await panel('viridis');
    attached!.range(0.001234, 98765.4);
    await fixture.whenStable();
    const ends = Array.from((fixture.nativeElement as HTMLElement).querySelectorAll('.bar .end')).map((e) => e.textContent?.trim());
    expect(ends).toEqual(['1.23e-3', '9.877e+4']);
  });

  it('formatValue: few digits, exponents far from 1, a dash for what is not a number', () => {
    expect(formatValue(123456)).toBe('1.23e+5');
    expect(formatValue(0.5)).toBe('0.5');
    expect(formatValue(42.125)).toBe('42.13');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(NaN)).toBe('–');
  });
});
