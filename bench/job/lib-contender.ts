// The `lib` contender of `npm run bench:job` (bench/job.mjs): the library in-process, as a user's
// script would use it: load the files (npstreams-rx/node) and reduce them with reduceMean, then
// save the mean as .npy.
//   node lib-contender.mjs OUT.npy GLOB
import { lastValueFrom } from 'rxjs';
import { reduceMean, useBackend } from 'npstreams-rx';
import { load, save } from 'npstreams-rx/node';

const [out, pattern] = process.argv.slice(2);
await useBackend();
const mean = await lastValueFrom(load(pattern).pipe(reduceMean()));
await save(mean, out);
mean.dispose();
