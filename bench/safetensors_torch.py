#!/usr/bin/env python3
"""Load a ScratchNet model file (safetensors) into PyTorch and compare its logits with ScratchNet's.

The safetensors file is parsed by hand (struct + json + torch.frombuffer), not with the
`safetensors` package: 8-byte little-endian header length N, N bytes of JSON, then the tensor bytes.
The architecture comes from the file's __metadata__["architecture"]; ScratchNet's Dense stores W as
(inputs, units) for y = x W + b, so torch.nn.Linear gets W transposed.

Usage (run with Debian's torch):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/safetensors_torch.py \
      --model model.safetensors --logits logits.npy --mnist data/mnist [--limit 10000]
Prints the maximum absolute difference between the logits and exits 1 if it exceeds --tolerance.
"""
import argparse
import gzip
import json
import struct
import sys

import numpy as np
import torch

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
          "BOOL": torch.bool}


def read_safetensors(path):
    """Returns ({name: tensor}, metadata) after the same basic checks ScratchNet makes."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: too short for a safetensors file")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        raise ValueError(f"{path}: header length {n} is longer than the file")
    header = json.loads(blob[8:8 + n])
    if not isinstance(header, dict):
        raise ValueError(f"{path}: header is not a JSON object")
    metadata = header.pop("__metadata__", {})
    data = memoryview(blob)[8 + n:]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = DTYPES[info["dtype"]]
        shape = info["shape"]
        if not 0 <= begin <= end <= len(data):
            raise ValueError(f"{path}: tensor {name} offsets out of range")
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(shape)
    return tensors, metadata


def build_model(tensors, metadata):
    """A torch.nn.Sequential equal to the ScratchNet model described by the metadata."""
    arch = json.loads(metadata["architecture"])
    layers = []
    for i, spec in enumerate(arch["layers"]):
        kind, s = spec["type"], spec.get("settings", {})
        p = lambda name: tensors[f"layers.{i}.{name}"]
        if kind == "Dense":
            w = p("weight")  # (inputs, units)
            lin = torch.nn.Linear(w.shape[0], w.shape[1], bias=s.get("useBias", "true") == "true")
            with torch.no_grad():
                lin.weight.copy_(w.t())
                if lin.bias is not None:
                    lin.bias.copy_(p("bias"))
            layers.append(lin)
        elif kind == "BatchNorm":
            g = p("gamma")
            bn = torch.nn.BatchNorm1d(g.shape[0], eps=float(s.get("epsilon", "1e-5")))
            with torch.no_grad():
                bn.weight.copy_(g)
                bn.bias.copy_(p("beta"))
                bn.running_mean.copy_(p("running_mean"))
                bn.running_var.copy_(p("running_var"))
            layers.append(bn)
        elif kind == "ReLU":
            layers.append(torch.nn.ReLU())
        elif kind == "Sigmoid":
            layers.append(torch.nn.Sigmoid())
        elif kind == "Tanh":
            layers.append(torch.nn.Tanh())
        elif kind == "LeakyReLU":
            layers.append(torch.nn.LeakyReLU(float(s.get("alpha", "0.01"))))
        elif kind == "ELU":
            layers.append(torch.nn.ELU(float(s.get("alpha", "1"))))
        elif kind == "GELU":
            layers.append(torch.nn.GELU())
        elif kind == "Softmax":
            layers.append(torch.nn.Softmax(dim=1))
        elif kind in ("Dropout", "Identity"):
            layers.append(torch.nn.Identity())  # inference: dropout is the identity
        elif kind == "Flatten":
            layers.append(torch.nn.Flatten())
        else:
            raise ValueError(f"layer {i}: {kind} has no PyTorch mapping in this script")
    return torch.nn.Sequential(*layers).eval()


def read_idx_images(path, limit):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", raw[:16])
    assert magic == 0x00000803, hex(magic)
    x = np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols)[:limit]
    return torch.from_numpy(x.astype(np.float32) / np.float32(255.0))  # the same floats as ScratchNet's byte / 255f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--logits", required=True, help=".npy of ScratchNet's float32 logits (count, classes)")
    ap.add_argument("--mnist", default="data/mnist")
    ap.add_argument("--limit", type=int, default=10000)
    ap.add_argument("--tolerance", type=float, default=1e-4)
    args = ap.parse_args()
    torch.set_num_threads(2)

    tensors, metadata = read_safetensors(args.model)
    model = build_model(tensors, metadata)
    ours = np.load(args.logits)
    x = read_idx_images(f"{args.mnist}/t10k-images-idx3-ubyte.gz", min(args.limit, ours.shape[0]))
    with torch.no_grad():
        theirs = model(x).numpy()
    diff = float(np.max(np.abs(theirs - ours[:theirs.shape[0]])))
    agree = float(np.mean(theirs.argmax(1) == ours[:theirs.shape[0]].argmax(1)))
    print(json.dumps({"samples": int(theirs.shape[0]), "classes": int(theirs.shape[1]),
                      "max_abs_diff": diff, "max_abs_logit": float(np.max(np.abs(ours))),
                      "argmax_agreement": agree, "torch": torch.__version__, "tolerance": args.tolerance}))
    return 0 if diff <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
