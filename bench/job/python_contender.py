"""The Python contenders of `npm run bench:job` (bench/job.mjs), one process per run:
    python3 python_contender.py CONTENDER FORMAT OUT.npy FILE...
CONTENDER: npstreams (`last(imean(map(read, files)))`, npstreams from PYTHONPATH) or numpy (a
float64 loop: acc += read(f), then acc / n). FORMAT picks the reader a user reaches for:
np.load (npy), tifffile.imread (tiff), Pillow (png, jpeg, and tiff-lzw: tifffile decodes LZW
only through imagecodecs, which Debian does not package)."""
import sys

import numpy as np

contender, fmt, out, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]

if fmt == "npy":
    read = np.load
elif fmt == "tiff":
    import tifffile

    read = tifffile.imread
else:
    from PIL import Image

    def read(path):
        with Image.open(path) as image:
            return np.asarray(image)


if contender == "npstreams":
    from npstreams import imean, last

    result = last(imean(map(read, files)))
else:
    acc = None
    for path in files:
        x = read(path)
        if acc is None:
            acc = np.zeros(x.shape, np.float64)
        acc += x
    result = acc / len(files)
np.save(out, np.asarray(result))
