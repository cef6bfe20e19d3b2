#!/usr/bin/env python3
"""Print the structure of an HDF5 file (a NIR graph or NIRData file) as JSON, as h5py reads it.

    python3 tools/nir/read-check.py FILE.nir

Output: one JSON object mapping every object path ("/", "/node", "/node/nodes/lif/tau_mem", ...) to
  groups:   {"kind": "group", "attrs": {...}}
  datasets: {"kind": "dataset", "dtype": ..., "shape": [...], "values": ..., "compression": ...,
             "compression_opts": ..., "chunks": [...] or null, "attrs": {...}}
dtype is numpy's dtype string ("<f4", "<i8", "|b1") or {"string": encoding, "vlen": bool} for strings;
values are nested lists (scalars bare), strings decoded, non-finite floats as "inf", "-inf", "nan".
Used by packages/spiking/test/nir-hdf5.test.ts to check that h5py reads what writeNIR writes.
"""
import json
import math
import sys

import h5py
import numpy as np


def plain(value):
    """JSON-ready value: bytes decoded, numpy scalars and arrays to Python, non-finite floats as strings."""
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()] if value.ndim > 0 else plain(value[()])
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def dtype_of(dtype):
    info = h5py.check_string_dtype(dtype)
    if info is not None:
        return {"string": info.encoding, "vlen": info.length is None}
    return dtype.str


def attrs_of(obj):
    out = {}
    for name in sorted(obj.attrs.keys()):
        attr = obj.attrs.get_id(name)
        out[name] = {"dtype": dtype_of(attr.dtype), "shape": list(attr.shape), "value": plain(obj.attrs[name])}
    return out


def describe(path):
    objects = {}
    with h5py.File(path, "r") as f:
        objects["/"] = {"kind": "group", "attrs": attrs_of(f)}

        def visit(name, obj):
            key = "/" + name
            if isinstance(obj, h5py.Group):
                objects[key] = {"kind": "group", "attrs": attrs_of(obj)}
            else:
                objects[key] = {
                    "kind": "dataset",
                    "dtype": dtype_of(obj.dtype),
                    "shape": list(obj.shape),
                    "values": plain(obj[()]),
                    "compression": obj.compression,
                    "compression_opts": obj.compression_opts,
                    "chunks": list(obj.chunks) if obj.chunks is not None else None,
                    "attrs": attrs_of(obj),
                }

        f.visititems(visit)
    return objects


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read-check.py FILE")
    json.dump(describe(sys.argv[1]), sys.stdout, sort_keys=True, allow_nan=False)
    sys.stdout.write("\n")
