// the optional webgpu backend, for the backend selector (registered where navigator.gpu exists)
import '@tensorflow/tfjs-backend-webgpu';
import { provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { DASHBOARD_THREAD, canReduceInWorker } from './app/dashboard.service';

// the reductions and their drawing in a worker where the browser can (?thread=main keeps them on
// the page's thread, as in a browser without OffscreenCanvas)
const thread = new URLSearchParams(location.search).get('thread') !== 'main' && canReduceInWorker() ? 'worker' : 'main';

bootstrapApplication(App, {
  providers: [provideBrowserGlobalErrorListeners(), provideZonelessChangeDetection(), { provide: DASHBOARD_THREAD, useValue: thread }],
}).catch((err: unknown) => console.error(err));
