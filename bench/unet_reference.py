#!/usr/bin/python3
"""Float64 reference of scoregen's U-Net for io.scoregen.core.nn.UnetReferenceTest: the twin of bench/unet.py.

Usage: /usr/bin/python3 bench/unet_reference.py NET_DIR...

Each NET_DIR holds config.json (the UnetConfig, in the twin's argument names), params/KEY.npy for every
entry of the twin's state_dict (parameters and buffers, under their PyTorch names and shapes), and one or
more input directories */x.npy with c.npy and v.npy beside it. For each input directory it writes
y.npy = net(x, c) and grad.npy = d sum(net(x, c) * v) / dx, both computed in float64 so that the Java
side is compared with the mathematics, not with another float32 kernel (nor another oneDNN).
Loading is strict: a key without a file, a file without a key or a shape that differs is an error.
"""
import json
import pathlib
import sys

try:
    import numpy as np
    import torch
except ImportError as e:
    sys.exit(f"unet_reference: {sys.executable} cannot import torch/numpy ({e}): install Debian's python3-torch")

from unet import ScoreUnet


def load_network(net_dir):
    config = json.loads((net_dir / "config.json").read_text())
    net = ScoreUnet(**config)
    state = net.state_dict()
    files = {p.stem: p for p in (net_dir / "params").glob("*.npy")}
    missing = sorted(set(state) - set(files))
    unknown = sorted(set(files) - set(state))
    if missing or unknown:
        sys.exit(f"unet_reference: {net_dir}: twin keys without a file: {missing}; files without a twin key: {unknown}")
    loaded = {}
    for key, expected in state.items():
        value = torch.from_numpy(np.load(files[key]))
        if value.shape != expected.shape:
            sys.exit(f"unet_reference: {net_dir}: {key} has shape {tuple(value.shape)}, the twin {tuple(expected.shape)}")
        loaded[key] = value
    net.load_state_dict(loaded, strict=True)
    return net.double().eval()


def main():
    torch.set_num_threads(1)  # small float64 passes; the machine is shared with the Java side
    for net_dir in map(pathlib.Path, sys.argv[1:]):
        net = load_network(net_dir)
        inputs = sorted(p.parent for p in net_dir.glob("*/x.npy"))
        if not inputs:
            sys.exit(f"unet_reference: {net_dir}: no */x.npy")
        for d in inputs:
            x = torch.from_numpy(np.load(d / "x.npy")).double().requires_grad_(True)
            c = torch.from_numpy(np.load(d / "c.npy")).double()
            v = torch.from_numpy(np.load(d / "v.npy")).double()
            y = net(x, c)
            (y * v).sum().backward()
            np.save(d / "y.npy", y.detach().numpy())
            np.save(d / "grad.npy", x.grad.numpy())


if __name__ == "__main__":
    main()
