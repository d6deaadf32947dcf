// the optional webgpu backend, for the backend selector (registered where navigator.gpu exists)
import '@tensorflow/tfjs-backend-webgpu';
import { provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';

bootstrapApplication(App, {
  providers: [provideBrowserGlobalErrorListeners(), provideZonelessChangeDetection()],
}).catch((err: unknown) => console.error(err));
