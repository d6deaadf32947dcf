import { Component, EnvironmentInjector, computed, createEnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { Subject } from 'rxjs';
import { toTensorSignal } from 'npstreams-rx/angular';
import { onCpuZoneless } from './setup';

const source = new Subject<tf.Tensor>();

@Component({ selector: 'spec-latest', template: `{{ total() }}` })
class Latest {
  readonly latest = toTensorSignal(source);
  readonly total = computed(() => {
    const t = this.latest();
    return t ? Array.from(t.dataSync()).reduce((a, b) => a + b, 0) : 'none';
  });
}

describe('toTensorSignal (npstreams-rx/angular)', () => {
  const { baseline } = onCpuZoneless();

  it('the latest emission, cloned: valid after the source disposes it, replaced (and disposed) by the next, all freed on destroy', async () => {
    const fixture = TestBed.createComponent(Latest);
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent).toBe('none');
    for (const values of [
      [1, 2],
      [3, 4, 5],
    ]) {
      const t = tf.tensor(values);
      source.next(t);
      // as a scan does: its emission is gone once the next item comes
      t.dispose();
      await fixture.whenStable();
      expect(fixture.componentInstance.latest()?.isDisposed).toBeFalse();
      expect((fixture.nativeElement as HTMLElement).textContent).toBe(String(values.reduce((a, b) => a + b, 0)));
      expect(tf.memory().numTensors)
        .withContext('one clone held')
        .toBe(baseline() + 1);
    }
    const held = fixture.componentInstance.latest()!;
    fixture.destroy();
    expect(held.isDisposed).toBeTrue();
    expect(source.observed).toBeFalse();
    expect(tf.memory().numTensors).toBe(baseline());
  });

  it('outside an injection context, with an injector: its DestroyRef ends the subscription and frees the clone', () => {
    const parent = TestBed.inject(EnvironmentInjector);
    const child = createEnvironmentInjector([], parent);
    const emissions = new Subject<tf.Tensor>();
    const latest = toTensorSignal(emissions, { injector: child });
    const t = tf.tensor([7, 8]);
    emissions.next(t);
    t.dispose();
    expect(Array.from(latest()!.dataSync())).toEqual([7, 8]);
    expect(tf.memory().numTensors).toBe(baseline() + 1);
    child.destroy();
    expect(emissions.observed).toBeFalse();
    expect(tf.memory().numTensors).toBe(baseline());
  });

  it('an error of the Observable is thrown where the signal is read; outside an injection context it needs an injector', () => {
    const failing = new Subject<tf.Tensor>();
    const latest = TestBed.runInInjectionContext(() => toTensorSignal(failing));
    expect(latest()).toBeNull();
    failing.error(new Error('the detector is gone'));
    expect(() => latest()).toThrowError('the detector is gone');
    expect(() => toTensorSignal(failing)).toThrowError(/injection context/);
  });
});
