import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { App } from '../../demo/src/app/app';
import { DashboardService } from '../../demo/src/app/dashboard.service';

describe('App (the dashboard page)', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] }));
  afterEach(() => TestBed.inject(DashboardService).ngOnDestroy());

  it('every control has a label; the status line is a live region; three panels and the chart', async () => {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    const labels = Array.from(el.querySelectorAll('.controls label')).map((l) => l.childNodes[0].textContent?.trim());
    expect(labels).toEqual(['Frame size', 'Rate (frames/s)', 'Backend', 'Colormap', 'Average files']);
    for (const control of Array.from(el.querySelectorAll('.controls select, .controls input'))) expect(control.closest('label')).withContext(control.outerHTML).not.toBeNull();
    expect(el.querySelector('.status')?.getAttribute('role')).toBe('status');
    expect(el.querySelectorAll('app-image-panel').length).toBe(3);
    expect(el.querySelector('app-sem-chart')).not.toBeNull();
    // the selects show the dashboard's settings (512 x 512, viridis), not their first options
    const [size, , colormap] = Array.from(el.querySelectorAll('.controls select')) as HTMLSelectElement[];
    expect(size.value).toBe('512');
    expect(colormap.value).toBe('viridis');
  });

  it('Start and Pause are one button, pressed state announced, usable from the keyboard', async () => {
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const button = (fixture.nativeElement as HTMLElement).querySelector('.controls button') as HTMLButtonElement;
    expect(button.textContent?.trim()).toBe('Start');
    expect(button.getAttribute('aria-pressed')).toBe('false');
    button.focus();
    expect(document.activeElement).toBe(button);
    button.click();
    await fixture.whenStable();
    expect(button.textContent?.trim()).toBe('Pause');
    expect(button.getAttribute('aria-pressed')).toBe('true');
    button.click();
    await fixture.whenStable();
    expect(button.textContent?.trim()).toBe('Start');
  });
});
