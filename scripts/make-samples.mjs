// npm run samples [-- --count N --size S --dir D]: writes the sample set (scripts/samples.ts) into
// samples/: rings-000.npy/.png/.tif ... for the README's command line example.
import { buildSync } from 'esbuild';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { count: { type: 'string', default: '24' }, size: { type: 'string', default: '256' }, dir: { type: 'string', default: 'samples' } } });
buildSync({ entryPoints: ['scripts/samples.ts'], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: '.tmp/samples.mjs', logLevel: 'warning' });
const { makeSamples } = await import(new URL('../.tmp/samples.mjs', import.meta.url).href);
const paths = await makeSamples(values.dir, { count: Number(values.count), size: Number(values.size) });
console.log(`samples: ${paths.length} files in ${values.dir}/ (${values.count} frames of ${values.size}x${values.size} as .npy, 16-bit PNG and 16-bit TIFF)`);
