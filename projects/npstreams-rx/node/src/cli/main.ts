/// <reference types="node" />
// The entry of the bundled command (scripts/build-cli.mjs bundles it, with tfjs, into the
// package's cli/ and the workspace's .tmp/cli/): the wasm backend's binaries sit beside it.
import { fileURLToPath } from 'node:url';
import { runCli } from './cli';

process.exitCode = await runCli(process.argv.slice(2), undefined, { wasmPaths: fileURLToPath(new URL('./wasm/', import.meta.url)) });
