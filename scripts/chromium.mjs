// Chromium for the browser stages, the end-to-end test and the browser benchmarks: CHROME_BIN,
// then the usual paths; when there is none, installs Debian's `chromium` package where it can
// (root with apt-get), else fails saying how to get one. No browser download.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

function findChromium() {
  if (process.env.CHROME_BIN && existsSync(process.env.CHROME_BIN)) return process.env.CHROME_BIN;
  return CANDIDATES.find((p) => existsSync(p));
}

function installChromium() {
  const isRoot = process.getuid?.() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (!isRoot || !hasApt) {
    throw new Error(
      'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
        'or point CHROME_BIN at a Chromium/Chrome binary, then run the command again.',
    );
  }
  console.log("No Chromium found: installing Debian's chromium package (apt-get)...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
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
