import * as tf from '@tensorflow/tfjs-core';
import { benchmark, benchmarkPreview } from '../projects/npstreams-rx/bench/src/public-api';
import { describeOnBackends } from './helpers/backends';

// benchmark() and benchmarkPreview() measure (npm run bench:browser prints their figures); here
// only what they return and that they leave no tensor behind. No timing is asserted.
describeOnBackends('benchmark()', (backend) => {
  it('measures library, plain tfjs and plain JS per statistic on the given backend, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const rows = await benchmark({ frames: 3, side: 8, rounds: 1, stats: ['sum', 'var'], backends: [backend] });
    expect(rows.map((r) => `${r.stat}:${r.contender}`)).toEqual(['sum:library', 'sum:tfjs', 'sum:js', 'var:library', 'var:tfjs', 'var:js']);
    for (const r of rows) {
      expect(r.backend).toBe(backend);
      expect(Number.isFinite(r.msPerFrame) && r.msPerFrame >= 0)
        .withContext(`${r.stat} ${r.contender} ms/frame`)
        .toBeTrue();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('benchmarkPreview reduces every frame and reads previews back, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const r = await benchmarkPreview({ frames: 12, side: 8, sampleMs: 1 });
    expect(r.framesPerSecond).toBeGreaterThan(0);
    expect(r.previews).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
