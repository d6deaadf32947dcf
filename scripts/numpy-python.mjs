// Finds a Python with NumPy for the specs that check files against NumPy itself (numpy.load of
// what the library writes): NPSTREAMS_PYTHON, python3, then Debian's /usr/bin/python3. Where none
// has NumPy, installs Debian's python3-numpy (root with apt-get), as test-browser.mjs installs
// Chromium. Returns the interpreter's path, or null (the specs then fail saying why).
import { spawnSync } from 'node:child_process';
import { aptInstall, canApt } from './apt.mjs';

const hasNumpy = (python) => spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

export function numpyPython() {
  const candidates = [process.env.NPSTREAMS_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  const found = candidates.find(hasNumpy);
  if (found) return found;
  if (!canApt()) return null;
  try {
    aptInstall('python3-numpy', 'No Python with NumPy found');
  } catch {
    return null;
  }
  return hasNumpy('/usr/bin/python3') ? '/usr/bin/python3' : null;
}
