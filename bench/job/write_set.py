"""The data set of `npm run bench:job` (bench/job.mjs): FRAMES frames of SIDE x SIDE, diffraction
rings plus Poisson counts, written as the instruments' users meet them:
    npy       float32 .npy (numpy.save)
    tiff      uint16 TIFF, uncompressed (tifffile.imwrite)
    tiff-lzw  uint16 TIFF, LZW (Pillow through libtiff: tifffile needs imagecodecs to write LZW,
              which Debian does not package)
    png       uint16 PNG (Pillow, its default compression)
    jpeg      8-bit gray JPEG (Pillow, quality 90) of the counts scaled to 0..255
    h5-gzip   one NeXus file, run.h5: /entry/data/data of FRAMES x SIDE x SIDE uint16, one frame
              per chunk, gzip (level 4) + shuffle (h5py)
    h5-bslz4  the same, bitshuffle + LZ4 (filter 32008, as Eiger detectors write; Debian's
              bitshuffle package registers it with h5py)
Beside each format's folder, mean.npy: the float64 mean of the values a reader gets back (for
JPEG: of Pillow's decoding of the files written, since JPEG is lossy).
    python3 write_set.py DIR FRAMES SIDE FORMAT[,FORMAT...]"""
import os
import sys

import numpy as np

out, frames, side, formats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(",")
EXT = {"npy": "npy", "tiff": "tif", "tiff-lzw": "tif", "png": "png", "jpeg": "jpg"}


def hdf5(path, compression):
    """An open NeXus file with /entry/data/data, FRAMES x SIDE x SIDE uint16, a frame a chunk."""
    import h5py

    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts"))
    from nexus import nxdata

    f = h5py.File(path, "w")
    return f, nxdata(f).create_dataset("data", shape=(frames, side, side), dtype="u2", chunks=(1, side, side), **compression)



y, x = np.mgrid[0:side, 0:side].astype(np.float64)
r = np.hypot(x - side / 2, y - side / 2) / side
rings = np.cos(2 * np.pi * r * 9) ** 8 * np.exp(-3 * r)
lam = 40 + 3000 * rings  # counts per pixel: a background and the rings


def frame(k):
    """Frame k: Poisson counts around lam, seeded by k (the same set on every machine)."""
    return np.random.default_rng(1000 + k).poisson(lam).astype(np.uint16)


for fmt in formats:
    d = os.path.join(out, fmt)
    os.makedirs(d, exist_ok=True)
    total = np.zeros((side, side), np.float64)
    if fmt.startswith("h5-"):
        compression = dict(compression="gzip", compression_opts=4, shuffle=True) if fmt == "h5-gzip" else dict(compression=32008, compression_opts=(0, 2))
        f, dset = hdf5(os.path.join(d, "run.h5"), compression)
        for k in range(frames):
            counts = frame(k)
            dset[k] = counts
            total += counts
        f.close()
        np.save(os.path.join(out, f"{fmt}-mean.npy"), total / frames)
        print(f"{fmt}: {frames} frames in {d}/run.h5", flush=True)
        continue
    for k in range(frames):
        counts = frame(k)
        path = os.path.join(d, f"frame-{k:04d}.{EXT[fmt]}")
        if fmt == "npy":
            np.save(path, counts.astype(np.float32))
            total += counts
        elif fmt == "tiff":
            import tifffile

            tifffile.imwrite(path, counts)
            total += counts
        elif fmt == "tiff-lzw":
            from PIL import Image

            Image.fromarray(counts).save(path, compression="tiff_lzw")
            total += counts
        elif fmt == "png":
            from PIL import Image

            Image.fromarray(counts).save(path)
            total += counts
        elif fmt == "jpeg":
            from PIL import Image

            scaled = np.minimum(255, np.round(counts * (255.0 / 2000))).astype(np.uint8)
            Image.fromarray(scaled).save(path, quality=90)
            total += np.asarray(Image.open(path), dtype=np.float64)
    np.save(os.path.join(out, f"{fmt}-mean.npy"), total / frames)
    print(f"{fmt}: {frames} files in {d}", flush=True)
