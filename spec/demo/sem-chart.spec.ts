import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { SemChart } from '../../demo/src/app/sem-chart';

// The dashboard's convergence plot: a caption over the library's <nps-convergence-chart> (whose
// series and log spacing spec/angular/convergence-chart.spec.ts checks).
describe('SemChart', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] }));

  it('renders a uPlot chart with its series, and an accessible summary of the last point', async () => {
    const fixture = TestBed.createComponent(SemChart);
    fixture.componentRef.setInput('points', [
      { frames: 1, value: 2 },
      { frames: 100, value: 0.2 },
    ]);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('figcaption')?.textContent?.trim()).toBe('Mean standard error of the running mean');
    expect(el.querySelector('.uplot canvas')).not.toBeNull();
    expect(Array.from(el.querySelectorAll('.u-legend .u-label')).map((l) => l.textContent)).toEqual(['frames', 'Mean standard error', '1/sqrt(n)']);
    expect(el.querySelector('[role=img]')?.getAttribute('aria-label')).toBe('Mean standard error 0.200 after 100 frames, on log axes with the 1/sqrt(n) reference');
  });
});
