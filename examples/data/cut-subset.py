#!/usr/bin/env python3
"""Reproduces the embedded Fashion-MNIST subset from the official files.

Takes the first TRAIN training and the first TEST test images (with their labels) from the official
gzipped IDX files, as shipped by the Debian package dataset-fashion-mnist, and writes them as gzipped
IDX files in the same format (only the count field of the header changes). Standard library only.

    apt-get install dataset-fashion-mnist
    python3 examples/data/cut-subset.py [SOURCE_DIR [OUT_DIR]]

The gzip header carries no file name and mtime 0, so the output is byte-for-byte reproducible.
"""
import collections
import gzip
import os
import struct
import sys

TRAIN, TEST = 10_000, 2_000
here = os.path.dirname(os.path.abspath(__file__))
src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "..", "src", "main", "resources",
                                                          "dev", "vecprop", "examples", "fashion-mnist")
os.makedirs(out, exist_ok=True)


def cut(name, keep):
    with gzip.open(os.path.join(src, name), "rb") as f:
        data = f.read()
    magic, count = struct.unpack(">II", data[:8])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * (ndim - 1), data[8:4 + 4 * ndim])
    item = 1
    for d in dims:
        item *= d
    header = 4 + 4 * ndim
    assert magic >> 8 == 0x08, f"{name}: not an unsigned-byte IDX file (magic {magic:#010x})"
    assert len(data) == header + count * item, f"{name}: length {len(data)} does not match the header"
    assert keep <= count, f"{name}: asked for {keep} items, file has {count}"
    body = data[header:header + keep * item]
    blob = struct.pack(">II", magic, keep) + data[8:header] + body
    path = os.path.join(out, name)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as g:
        g.write(blob)
    return body


for split, keep in (("train", TRAIN), ("t10k", TEST)):
    cut(f"{split}-images-idx3-ubyte.gz", keep)
    labels = cut(f"{split}-labels-idx1-ubyte.gz", keep)
    counts = collections.Counter(labels)
    print(f"{split}: {keep} items, per class " + " ".join(f"{c}:{counts[c]}" for c in range(10)))
