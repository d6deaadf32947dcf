// Finds a Python with NumPy (and any other modules asked for) for the specs that check files
// against NumPy itself (numpy.load of what the library writes) and for the benchmarks' Python
// contenders: NPSTREAMS_PYTHON, python3, then Debian's /usr/bin/python3. Where none has them,
// installs Debian's packages (python3-numpy, python3-tifffile, python3-pil...; root with apt-get),
// as test-browser.mjs installs Chromium. Returns the interpreter's path, or null (the callers then
// fail saying why).
import { spawnSync } from 'node:child_process';
import { aptInstall, canApt } from './apt.mjs';

const DEBIAN = { numpy: 'python3-numpy', tifffile: 'python3-tifffile', PIL: 'python3-pil' };

const has = (python, modules) => spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' }).status === 0;

export function numpyPython(extra = []) {
  const modules = ['numpy', ...extra];
  const candidates = [process.env.NPSTREAMS_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  const found = candidates.find((p) => has(p, modules));
  if (found) return found;
  if (!canApt()) return null;
  try {
    for (const m of modules.filter((m) => !has('/usr/bin/python3', [m]))) aptInstall(DEBIAN[m] ?? `python3-${m.toLowerCase()}`, `No Python with ${m} found`);
  } catch {
    return null;
  }
  return has('/usr/bin/python3', modules) ? '/usr/bin/python3' : null;
}
