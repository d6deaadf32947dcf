"""The Python contenders of the benchmark (bench/run.mjs), one process per run:
    python3 numpy_contender.py CONTENDER STAT FRAMES SIDE OUT.f32
CONTENDER: numpy (float64 frames stacked, then reduced: npstreams' own comparison) or
npstreams (its isum/imean/ivar/imax over float32 frames, when `import npstreams` works).
Prints one JSON line {"genMs","netMs","rssKB"}; writes the result as raw float32."""
import json
import resource
import sys
import time

import numpy as np

contender, stat, frames, side, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
N = side * side
I = np.arange(N, dtype=np.uint32)
gen_ms = 0.0


def frame(k, dtype):
    """Element i of frame k: the same 32-bit hash as bench/contenders/frames.h."""
    global gen_ms
    t0 = time.perf_counter()
    with np.errstate(over="ignore"):
        h = I * np.uint32(0x9E3779B1) + np.uint32(((k + 1) * 0x85EBCA77) & 0xFFFFFFFF)
        h ^= h >> np.uint32(15)
        h *= np.uint32(0x2C1B3C6D)
        h ^= h >> np.uint32(12)
        h *= np.uint32(0x297A2D39)
        h ^= h >> np.uint32(15)
    x = ((h >> np.uint32(8)).astype(dtype) * dtype(2.0**-24)).reshape(side, side)
    gen_ms += (time.perf_counter() - t0) * 1e3
    return x


t0 = time.perf_counter()
if contender == "numpy":
    stacked = np.stack([frame(k, np.float64) for k in range(frames)], axis=-1)
    result = {"sum": np.sum, "mean": np.mean, "max": np.max, "var": np.var}[stat](stacked, axis=-1)
else:
    import npstreams

    frames_ = (frame(k, np.float32) for k in range(frames))
    if stat == "max":  # imax yields the running maximum; its last value is the result
        for result in npstreams.imax(frames_, axis=-1):
            pass
    else:
        result = {"sum": npstreams.sum, "mean": npstreams.mean, "var": npstreams.var}[stat](frames_)
net_ms = (time.perf_counter() - t0) * 1e3 - gen_ms
np.asarray(result, dtype=np.float32).tofile(out)
def peak_rss_kb():
    """Peak RSS (VmHWM: ru_maxrss can report the forking parent's)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


rss = peak_rss_kb()
print(json.dumps({"genMs": gen_ms, "netMs": net_ms, "rssKB": rss}))
