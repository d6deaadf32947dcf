import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { SemChart, semSeries } from '../../demo/src/app/sem-chart';
import { addPoint } from '../../demo/src/app/dashboard.service';

describe('SemChart', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] }));

  it('semSeries: frames, the SEM, and the 1/sqrt(n) reference through the first point', () => {
    const [x, y, ref] = semSeries([
      { frames: 4, sem: 1 },
      { frames: 16, sem: 0.52 },
      { frames: 64, sem: 0.24 },
    ]);
    expect(x).toEqual([4, 16, 64]);
    expect(y).toEqual([1, 0.52, 0.24]);
    expect(ref).toEqual([1, 0.5, 0.25]);
  });

  it('addPoint keeps log-spaced frame counts and the latest: a few hundred points for a long run', () => {
    let points: { frames: number; sem: number }[] = [];
    for (let n = 1; n <= 100_000; n++) points = addPoint(points, { frames: n, sem: 1 / Math.sqrt(n) });
    expect(points.length).toBeLessThan(700);
    expect(points[points.length - 1].frames).toBe(100_000);
    for (let i = 2; i < points.length - 1; i++) expect(points[i].frames).toBeGreaterThanOrEqual(points[i - 1].frames * 1.02);
  });

  it('renders a uPlot chart with its series, and an accessible summary of the last point', async () => {
    const fixture = TestBed.createComponent(SemChart);
    fixture.componentRef.setInput('points', [
      { frames: 1, sem: 2 },
      { frames: 100, sem: 0.2 },
    ]);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('.uplot canvas')).not.toBeNull();
    expect(Array.from(el.querySelectorAll('.u-legend .u-label')).map((l) => l.textContent)).toEqual(['frames', 'mean SEM', '1/sqrt(n)']);
    expect(el.querySelector('.chart')?.getAttribute('aria-label')).toBe('Mean standard error 0.200 after 100 frames, on log axes with the 1/sqrt(n) reference');
  });
});
