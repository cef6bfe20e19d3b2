#!/usr/bin/env python3
"""Write the NIR test fixtures with h5py alone, in the layout `nir.write` / `nir.write_data` produce
(neuromorphs/NIR 1.0.7, nir/serialization.py), without the nir package:

    python3 tools/nir/write-fixture.py [OUT_DIR]     (default: test-fixtures/nir)

- cuba-lif-network.nir: Input(4) -> Affine(4->8) -> CubaLIF(8) -> Affine(8->3) -> CubaLI(3) -> Output(3),
  affine parameters float32 (as PyTorch exporters write them), neuron parameters float64, graph and node
  metadata;
- cuba-lif-network-data.h5: NIRData for that graph: input spikes on a time grid (bool), CubaLIF spikes as
  events (padded with -1 / inf) and its membrane on a time grid (float32), CubaLI samples as valued events.

Every number is fixed; packages/spiking/test/nir-hdf5.test.ts states them again and reads them exactly.
Regenerate only on purpose: the bytes differ with the h5py/HDF5 version, the contents do not.
"""
import os
import sys

import h5py
import numpy as np

NIR_VERSION = "1.0.7"
# nir.write's defaults: every numpy array gzip-compressed (level 4, h5py's chunk guess).
ARRAY = {"compression": "gzip", "compression_opts": 4}


def string(group, name, value):
    group.create_dataset(name, data=value, dtype=h5py.string_dtype())


def array(group, name, value):
    group.create_dataset(name, data=value, dtype=value.dtype, **ARRAY)


def node(nodes, name, type_, metadata=None, **parameters):
    group = nodes.create_group(name)
    string(group, "type", type_)
    for key, value in parameters.items():
        array(group, key, value)
    if metadata:
        meta = group.create_group("metadata")
        for key, value in metadata.items():
            if isinstance(value, str):
                string(meta, key, value)
            else:
                meta.create_dataset(key, data=value)
    return group


def f64(values):
    return np.array(values, dtype=np.float64)


def write_graph(path):
    weight1 = np.array([[((i * 4 + j) % 7 - 3) / 8 for j in range(4)] for i in range(8)], dtype=np.float32)
    bias1 = np.array([(i - 4) / 16 for i in range(8)], dtype=np.float32)
    weight2 = np.array([[((i * 8 + j) % 5 - 2) / 4 for j in range(8)] for i in range(3)], dtype=np.float32)
    bias2 = np.zeros(3, dtype=np.float32)

    with h5py.File(path, "w") as f:
        string(f, "version", NIR_VERSION)
        graph = f.create_group("node")
        string(graph, "type", "NIRGraph")
        nodes = graph.create_group("nodes")
        node(nodes, "input", "Input", shape=np.array([4], dtype=np.int64))
        node(nodes, "affine1", "Affine", weight=weight1, bias=bias1)
        node(
            nodes,
            "cubalif",
            "CubaLIF",
            metadata={"label": "hidden"},
            tau_syn=f64([0.005, 0.0055, 0.006, 0.0065, 0.007, 0.0075, 0.008, 0.0085]),
            tau_mem=f64([0.01, 0.011, 0.012, 0.013, 0.014, 0.015, 0.016, 0.017]),
            r=f64([1.0] * 8),
            v_leak=f64([0.0, 0.01, 0.02, 0.03, -0.01, -0.02, -0.03, 0.0]),
            v_threshold=f64([1.0, 1.1, 1.2, 1.3, 0.9, 0.8, 0.7, 1.0]),
            v_reset=f64([0.0] * 8),
            w_in=f64([1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]),
        )
        node(nodes, "affine2", "Affine", weight=weight2, bias=bias2)
        node(
            nodes,
            "cubali",
            "CubaLI",
            tau_syn=f64([0.005, 0.005, 0.005]),
            tau_mem=f64([0.02, 0.02, 0.02]),
            r=f64([1.0, 1.0, 1.0]),
            v_leak=f64([0.0, 0.0, 0.0]),
            w_in=f64([1.0, 1.0, 1.0]),
        )
        node(nodes, "output", "Output", shape=np.array([3], dtype=np.int64))
        edges = [("input", "affine1"), ("affine1", "cubalif"), ("cubalif", "affine2"), ("affine2", "cubali"), ("cubali", "output")]
        graph.create_dataset("edges", data=edges, dtype=h5py.string_dtype())
        meta = graph.create_group("metadata")
        string(meta, "description", "bss2 NIR fixture: two-layer CubaLIF/CubaLI network")
        meta.create_dataset("dt", data=1e-4)


def write_chip_graph(path):
    """A network the chip realises as it is: Linear weights, uniform parameters per layer, τ in range."""
    weight1 = np.array([[((i * 4 + j) % 7 - 3) / 6 for j in range(4)] for i in range(8)], dtype=np.float32)
    weight2 = np.array([[((i * 8 + j) % 5 - 2) / 4 for j in range(8)] for i in range(3)], dtype=np.float32)
    with h5py.File(path, "w") as f:
        string(f, "version", NIR_VERSION)
        graph = f.create_group("node")
        string(graph, "type", "NIRGraph")
        nodes = graph.create_group("nodes")
        node(nodes, "input", "Input", shape=np.array([4], dtype=np.int64))
        node(nodes, "linear1", "Linear", weight=weight1)
        node(
            nodes,
            "hidden",
            "CubaLIF",
            tau_syn=f64([0.006] * 8),
            tau_mem=f64([0.01] * 8),
            r=f64([1.0] * 8),
            v_leak=f64([0.0] * 8),
            v_threshold=f64([1.0] * 8),
            v_reset=f64([0.0] * 8),
            w_in=f64([1.0] * 8),
        )
        node(nodes, "linear2", "Linear", weight=weight2)
        node(nodes, "readout", "CubaLI", tau_syn=f64([0.006] * 3), tau_mem=f64([0.01] * 3), r=f64([1.0] * 3), v_leak=f64([0.0] * 3), w_in=f64([1.0] * 3))
        node(nodes, "output", "Output", shape=np.array([3], dtype=np.int64))
        edges = [("input", "linear1"), ("linear1", "hidden"), ("hidden", "linear2"), ("linear2", "readout"), ("readout", "output")]
        graph.create_dataset("edges", data=edges, dtype=h5py.string_dtype())


def write_data(path):
    with h5py.File(path, "w") as f:
        f.attrs["__type__"] = "NIRGraphData"
        nodes = f.create_group("nodes")

        def observables(name):
            group = nodes.create_group(name)
            group.attrs["__type__"] = "NIRNodeData"
            return group.create_group("observables")

        spikes_in = np.array(
            [[[(s + 2 * t + 3 * n) % 4 == 0 for n in range(4)] for t in range(5)] for s in range(2)], dtype=bool
        )
        grid = observables("input").create_group("spikes")
        grid.attrs["__type__"] = "TimeGriddedData"
        array(grid, "data", spikes_in)
        grid.attrs["dt"] = 1e-3

        hidden = observables("cubalif")
        events = hidden.create_group("spikes")
        events.attrs["__type__"] = "EventData"
        array(events, "idx", np.array([[0, 3, 7, 3, -1, -1], [5, 1, -1, -1, -1, -1]], dtype=np.int64))
        inf = np.inf
        array(events, "time", f64([[1e-4, 2.5e-4, 1e-3, 3e-3, inf, inf], [5e-4, 2e-3, inf, inf, inf, inf]]))
        events.attrs["n_neurons"] = 8
        events.attrs["t_max"] = 5e-3
        membrane = hidden.create_group("v")
        membrane.attrs["__type__"] = "TimeGriddedData"
        v = np.array([[[(s * 40 + t * 8 + n) / 64 - 1 for n in range(8)] for t in range(5)] for s in range(2)], dtype=np.float32)
        array(membrane, "data", v)
        membrane.attrs["dt"] = 1e-3

        samples = observables("cubali").create_group("v")
        samples.attrs["__type__"] = "ValuedEventData"
        array(samples, "idx", np.array([[0, 1, 2, -1]], dtype=np.int64))
        array(samples, "time", f64([[1e-3, 1e-3, 1e-3, inf]]))
        samples.attrs["n_neurons"] = 3
        samples.attrs["t_max"] = 5e-3
        array(samples, "value", f64([[0.25, -0.5, 0.125, np.nan]]))


if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "test-fixtures", "nir")
    os.makedirs(out, exist_ok=True)
    write_graph(os.path.join(out, "cuba-lif-network.nir"))
    write_chip_graph(os.path.join(out, "cuba-lif-chip.nir"))
    write_data(os.path.join(out, "cuba-lif-network-data.h5"))
