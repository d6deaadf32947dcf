// Chromium for the browser stages, the end-to-end test and the browser benchmarks: CHROME_BIN,
// then the usual paths; when there is none, installs Debian's `chromium` package where it can
// (root with apt-get), else fails saying how to get one. No browser download.
import { existsSync } from 'node:fs';
import { aptInstall, canApt } from './apt.mjs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function findChromium() {
  if (process.env.CHROME_BIN && existsSync(process.env.CHROME_BIN)) return process.env.CHROME_BIN;
  return CANDIDATES.find((p) => existsSync(p));
}

function installChromium() {
  if (!canApt()) {
    throw new Error('No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' + 'or point CHROME_BIN at a Chromium/Chrome binary, then run the command again.');
  }
  aptInstall('chromium', 'No Chromium found');
}

/** Flags for headless Chromium without a GPU: SwiftShader's WebGL and WebGPU (see the shared
 * notes/toolchain.md), and nothing that reaches the network. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-swiftshader',
  // WebGPU on SwiftShader's Vulkan (the adapter reports architecture 'swiftshader')
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The Chromium binary (installed first where needed); also sets CHROME_BIN for Karma. */
export function chromiumPath() {
  let chrome = findChromium();
  if (!chrome) {
    installChromium();
    chrome = findChromium();
    if (!chrome) throw new Error('apt-get installed chromium but no binary was found at ' + CANDIDATES.join(', '));
  }
  process.env.CHROME_BIN = chrome;
  return chrome;
}
