#!/usr/bin/env node
// The workspace's `npx npstreams-rx ...` (package.json "bin"): the command bundled from the
// library's sources into .tmp/cli/ by scripts/build-cli.mjs, built again only when a source is
// newer than the build (a look at the files' times, a few milliseconds; esbuild loads only to
// build), then run. The package carries the same bundle (cli/, run by bin/npstreams-rx.mjs).
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, '.tmp/cli');

/** The files the bundle is made from. */
function sources() {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  const lib = resolve(root, 'projects/npstreams-rx');
  return [
    ...['src', 'node/src', 'worker/src'].flatMap((d) => walk(join(lib, d))),
    resolve(root, 'scripts/build-cli.mjs'),
    resolve(root, 'scripts/bundle-specs.mjs'),
    resolve(root, 'package-lock.json'),
  ];
}

/** Whether .tmp/cli holds a build at least as new as every source. */
function fresh() {
  try {
    const built = statSync(join(outdir, 'built')).mtimeMs;
    return sources().every((f) => statSync(f).mtimeMs <= built);
  } catch {
    return false;
  }
}

// NPSTREAMS_RX_PREBUILT=1 skips even the look (specs that start many processes at once)
if (process.env.NPSTREAMS_RX_PREBUILT !== '1' && !fresh()) await (await import('./build-cli.mjs')).buildCli(outdir);
await import(pathToFileURL(join(outdir, 'npstreams-rx-cli.mjs')).href);
