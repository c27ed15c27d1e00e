#!/usr/bin/env python3
"""Writes the part of Fashion-MNIST that `graft demo` needs, to ship inside the repository.

The demo's target task is the five classes Sandal (5), Shirt (6), Sneaker (7), Bag (8) and Ankle boot (9).
It needs all 5,000 test images of those classes and a pool of training images to draw k-shot subsets from:
the first POOL_PER_CLASS training images of each target class, in file order. Graft derives exactly the same
subset from the full dataset when that is installed, so the demo prints the same numbers either way.

Usage: make_demo_subset.py [SOURCE_DIR] [OUT_DIR]
  SOURCE_DIR defaults to Debian's /usr/share/datasets/fashion-mnist (package dataset-fashion-mnist).
"""
import gzip
import struct
import sys
from pathlib import Path

TARGET_CLASSES = [5, 6, 7, 8, 9]
POOL_PER_CLASS = 1000


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    return dims, data[4 + 4 * ndim :]


def write_idx(path, magic_type, dims, payload):
    header = struct.pack(">I", (magic_type << 8) | len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    # mtime=0 and no file name: the same input gives byte-identical output.
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
        f.write(header + payload)


def subset(source, split, per_class):
    (n, rows, cols), images = read_idx(source / f"{split}-images-idx3-ubyte.gz")
    (_,), labels = read_idx(source / f"{split}-labels-idx1-ubyte.gz")
    size = rows * cols
    taken = {c: 0 for c in TARGET_CLASSES}
    keep = []
    for i in range(n):
        c = labels[i]
        if c in taken and (per_class is None or taken[c] < per_class):
            taken[c] += 1
            keep.append(i)
    out_images = b"".join(images[i * size : (i + 1) * size] for i in keep)
    out_labels = bytes(labels[i] for i in keep)
    return (len(keep), rows, cols), out_images, out_labels


def main():
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent / "data" / "fashion-mnist")
    out.mkdir(parents=True, exist_ok=True)
    for split, per_class, name in (("train", POOL_PER_CLASS, "target-train"), ("t10k", None, "target-test")):
        dims, images, labels = subset(source, split, per_class)
        write_idx(out / f"{name}-images-idx3-ubyte.gz", 0x08, dims, images)
        write_idx(out / f"{name}-labels-idx1-ubyte.gz", 0x08, dims[:1], labels)
        print(f"{name}: {dims[0]} images")


if __name__ == "__main__":
    main()
