"""The Python contenders of `npm run bench:job` (bench/job.mjs), one process per run:
    python3 python_contender.py CONTENDER FORMAT OUT.npy FILE...
CONTENDER: npstreams (`last(imean(map(read, files)))`, npstreams from PYTHONPATH) or numpy (a
float64 loop: acc += read(f), then acc / n). FORMAT picks the reader a user reaches for:
np.load (npy), tifffile.imread (tiff), Pillow (png, jpeg, and tiff-lzw: tifffile decodes LZW
only through imagecodecs, which Debian does not package); HDF5 (h5-gzip, h5-bslz4): h5py, the frames
of each file's /entry/data/data read one at a time (d[i]), as `imean(d[i] for i in range(n))`."""
import sys

import numpy as np

contender, fmt, out, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]

if fmt.startswith("h5-"):
    import h5py

    def frames():
        for path in files:
            with h5py.File(path, "r") as f:
                d = f["/entry/data/data"]
                for i in range(d.shape[0]):
                    yield d[i]

elif fmt == "npy":
    read = np.load
elif fmt == "tiff":
    import tifffile

    read = tifffile.imread
else:
    from PIL import Image

    def read(path):
        with Image.open(path) as image:
            return np.asarray(image)


if not fmt.startswith("h5-"):

    def frames():
        return map(read, files)


if contender == "npstreams":
    from npstreams import imean, last

    result = last(imean(frames()))
else:
    acc = None
    n = 0
    for x in frames():
        if acc is None:
            acc = np.zeros(x.shape, np.float64)
        acc += x
        n += 1
    result = acc / n
np.save(out, np.asarray(result))
