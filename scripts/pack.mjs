// npm run pack: builds the library (ng-packagr) and packs dist/npstreams-rx into
// dist/npstreams-rx-<version>.tgz, the file to install (`npm install ./dist/npstreams-rx-0.1.0.tgz`):
// a tarball installs as a package of its own, its dependencies and peers resolved in the
// consumer's tree (one tfjs-core), where installing the folder would link it and load the
// workspace's copies beside the consumer's. Prints the tarball's path last.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function pack({ build = true } = {}) {
  if (build) {
    const b = spawnSync('npx', ['ng', 'build', 'npstreams-rx'], { stdio: 'inherit', env: { ...process.env, NG_CLI_ANALYTICS: 'false' } });
    if (b.status !== 0) throw new Error('the library build failed');
    // the command, bundled with tfjs (scripts/build-cli.mjs), run by the package's bin
    const c = spawnSync(process.execPath, ['scripts/build-cli.mjs', 'dist/npstreams-rx/cli'], { stdio: 'inherit' });
    if (c.status !== 0) throw new Error("the command's build failed");
  }
  const { version } = JSON.parse(readFileSync('dist/npstreams-rx/package.json', 'utf8'));
  const p = spawnSync('npm', ['pack', './dist/npstreams-rx', '--pack-destination', 'dist', '--silent'], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`npm pack failed: ${p.stderr}`);
  return resolve(`dist/npstreams-rx-${version}.tgz`);
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(pack());
