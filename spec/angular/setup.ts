import { provideZonelessChangeDetection } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from 'npstreams-rx';

/** The cpu backend for the suite, a zoneless TestBed for each spec, and the tensor count each
 * spec starts from (read it with `baseline()`). */
export function onCpuZoneless(): { baseline: () => number } {
  let before = 0;
  beforeAll(async () => {
    await useBackend('cpu');
  });
  beforeEach(() => {
    before = tf.memory().numTensors;
    TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection()] });
  });
  return { baseline: () => before };
}
