#!/usr/bin/env node
// The npstreams-rx command (npx npstreams-rx --help): the bundle in ../cli/ (built with the
// package by scripts/build-cli.mjs; runCli in npstreams-rx/node is the same command as a function).
import '../cli/npstreams-rx-cli.mjs';
