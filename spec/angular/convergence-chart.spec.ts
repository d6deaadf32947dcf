import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Subject } from 'rxjs';
import type { FrameStats } from 'npstreams-rx';
import { ConvergenceChart, type ConvergencePoint, addConvergencePoint, convergenceSeries } from 'npstreams-rx/angular';

describe('<nps-convergence-chart> (npstreams-rx/angular)', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] }));

  it('convergenceSeries: frames, values, and value0 x sqrt(frames0 / n) through the first point', () => {
    const [x, y, ref] = convergenceSeries([
      { frames: 4, value: 1 },
      { frames: 16, value: 0.6 },
      { frames: 100, value: 0.2 },
    ]);
    expect(x).toEqual([4, 16, 100]);
    expect(y).toEqual([1, 0.6, 0.2]);
    expect(ref).toEqual([1, 0.5, 0.2]);
    expect(convergenceSeries([])).toEqual([[], [], []]);
  });

  it('addConvergencePoint: log-spaced frame counts (each kept point 2% past the one before), the latest always; non-finite values left out', () => {
    let points: ConvergencePoint[] = [];
    for (let n = 1; n <= 10000; n++) points = addConvergencePoint(points, { frames: n, value: 1 / Math.sqrt(n) });
    points = addConvergencePoint(points, { frames: 10001, value: NaN });
    expect(points[points.length - 1].frames).toBe(10000);
    for (let k = 1; k < points.length - 1; k++)
      expect(points[k].frames)
        .withContext(`point ${k}`)
        .toBeGreaterThanOrEqual(points[k - 1].frames * 1.02);
    // ln(10000) / ln(1.02) = 465 steps at the most, plus the small counts taken one by one
    expect(points.length).toBeLessThan(520);
  });

  it('an Observable of frameStats: its mean against frames, named for screen readers; a uPlot drawn; unsubscribed on destroy', async () => {
    const stats = new Subject<FrameStats>();
    const fixture = TestBed.createComponent(ConvergenceChart);
    fixture.componentRef.setInput('source', stats);
    await fixture.whenStable();
    const host = (fixture.nativeElement as HTMLElement).querySelector('[role=img]') as HTMLElement;
    expect(host.getAttribute('aria-label')).toBe('mean SEM: no frames yet');
    for (const frames of [1, 2, 4]) stats.next({ frames, fps: 10, mean: 0.5 / Math.sqrt(frames) });
    await fixture.whenStable();
    expect(fixture.componentInstance.points()).toEqual([
      { frames: 1, value: 0.5 },
      { frames: 2, value: 0.5 / Math.sqrt(2) },
      { frames: 4, value: 0.25 },
    ]);
    expect(host.getAttribute('aria-label')).toBe('mean SEM 0.250 after 4 frames, on log axes with the 1/sqrt(n) reference');
    expect(host.querySelector('.uplot canvas')).withContext('uPlot drew its canvas').not.toBeNull();
    fixture.destroy();
    expect(stats.observed).toBeFalse();
    expect(host.querySelector('.uplot')).withContext('uPlot destroyed').toBeNull();
  });

  it('a signal of points: the plot follows it', async () => {
    const points = signal<ConvergencePoint[]>([{ frames: 2, value: 1 }]);
    const fixture = TestBed.createComponent(ConvergenceChart);
    fixture.componentRef.setInput('source', points);
    await fixture.whenStable();
    const label = () => (fixture.nativeElement as HTMLElement).querySelector('[role=img]')?.getAttribute('aria-label');
    expect(label()).toBe('mean SEM 1.00 after 2 frames, on log axes with the 1/sqrt(n) reference');
    points.update((p) => addConvergencePoint(p, { frames: 8, value: 0.5 }));
    await fixture.whenStable();
    expect(fixture.componentInstance.points()).toEqual([
      { frames: 2, value: 1 },
      { frames: 8, value: 0.5 },
    ]);
    expect(label()).toBe('mean SEM 0.500 after 8 frames, on log axes with the 1/sqrt(n) reference');
    fixture.destroy();
  });

  it('an array of points and a label', async () => {
    const fixture = TestBed.createComponent(ConvergenceChart);
    fixture.componentRef.setInput('source', [
      { frames: 10, value: 3 },
      { frames: 40, value: 1.5 },
    ]);
    fixture.componentRef.setInput('label', 'std of the mean');
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).querySelector('[role=img]')?.getAttribute('aria-label')).toBe('std of the mean 1.50 after 40 frames, on log axes with the 1/sqrt(n) reference');
    fixture.destroy();
  });
});
