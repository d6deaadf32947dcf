#!/usr/bin/env node
// The npstreams-rx command (npx npstreams-rx --help): see runCli in npstreams-rx/node.
import { runCli } from '../fesm2022/npstreams-rx-node.mjs';

process.exitCode = await runCli(process.argv.slice(2));
