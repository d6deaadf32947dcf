#!/usr/bin/env node
// `npm start`: serves the demo app with the Angular dev server.
// PORT (default 4200) and HOST (default 127.0.0.1) come from the environment; extra
// arguments are passed on to `ng serve` (e.g. `npm start -- --configuration production`).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const host = process.env.HOST || '127.0.0.1';
const port = process.env.PORT || '4200';
const ng = createRequire(import.meta.url).resolve('@angular/cli/bin/ng.js');

console.log(`npstreams-rx demo: http://${host}:${port}/`);
const child = spawn(process.execPath, [ng, 'serve', 'demo', '--host', host, '--port', port, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
