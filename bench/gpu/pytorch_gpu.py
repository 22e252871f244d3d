#!/usr/bin/env python3
"""PyTorch twins of ScratchNet's mnist-mlp and mnist-cnn presets on one device (a CUDA GPU by default), for bench/gpu/run.sh.

The presets' recipes (src/ScratchNet/Training/Presets/PresetCatalog.Images.cs), as bench/pytorch_mlp.py and
bench/pytorch_cnn.py write them for the CPU:
  mlp: 784-256-128-10, ReLU; Adam 1e-3 annealed per step by a cosine to 0 over the run; batch 64.
  cnn: conv5x5 1->32, ReLU, maxpool 2, conv5x5 32->64, ReLU, maxpool 2, dense 1024->128, ReLU, dense 128->10;
       random shifts of up to +-2 pixels (training only, zero-filled); Adam 1e-3 with the same cosine; batch 64.
Softmax cross-entropy on logits, a new shuffle every epoch (last partial batch kept), pixels x/255 in [0, 1].
As a PyTorch user would on a GPU: the whole data set is moved to the device once, before timing, as float32;
batches are index_select'ed there; the shift is done for the whole batch at once by gathering from a padded copy;
the loss is summed on the device and read once per epoch. An epoch's time ends with torch.cuda.synchronize().
PyTorch's defaults are kept (cuDNN may use TF32 for convolutions on Ampere and later; matmuls stay FP32):
the JSON records both switches.

Prints one JSON object: per-epoch training seconds (evaluation excluded), train loss, test accuracy (the test set
in batches of 500 after each epoch), device name, torch version and the TF32 switches.

  python3 bench/gpu/pytorch_gpu.py --model mlp --epochs 3                 # on the GPU
  python3 bench/gpu/pytorch_gpu.py --model cnn --device cpu --limit 640   # a syntax check without a GPU
"""
import argparse
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# The CPU twins' IDX reader and CNN are these twins' too (bench/pytorch_cnn.py, beside this folder).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pytorch_cnn import SmallCnn, read_idx  # noqa: E402


def load(folder, split, device, limit):
    images = read_idx(os.path.join(folder, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(folder, f"{split}-labels-idx1-ubyte.gz"))
    if limit:
        images, labels = images[:limit], labels[:limit]
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1).to(device)
    y = torch.from_numpy(labels.astype(np.int64)).to(device)
    return x, y


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))


def random_shift(x, max_shift, gen):
    """Moves each image of x (n, 1, h, w) by its own whole-pixel (dy, dx) in [-max_shift, max_shift], zero-filled, in one gather."""
    n, _, h, w = x.shape
    padded = F.pad(x, (max_shift, max_shift, max_shift, max_shift))
    shifts = torch.randint(0, 2 * max_shift + 1, (n, 2), generator=gen, device=x.device)
    rows = shifts[:, 0, None] + torch.arange(h, device=x.device)   # (n, h): the padded rows each output row reads
    cols = shifts[:, 1, None] + torch.arange(w, device=x.device)   # (n, w)
    batch = torch.arange(n, device=x.device)[:, None, None]
    return padded[batch, 0, rows[:, :, None], cols[:, None, :]].unsqueeze(1)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, choices=["mlp", "cnn"])
    ap.add_argument("--data", default=None, help="folder with the four MNIST IDX .gz files (default: data/mnist of this checkout)")
    ap.add_argument("--device", default="cuda", help="cuda (default), cuda:N or cpu")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--shift", type=int, default=None, help="max random shift in pixels (default: the preset's, 2 for cnn, 0 for mlp)")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N training and test samples (a quick check)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        sys.exit("error: --device cuda, but torch finds no CUDA device (torch.cuda.is_available() is False)")
    data = args.data or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "mnist")
    if not os.path.exists(os.path.join(data, "train-images-idx3-ubyte.gz")):
        sys.exit(f"error: no MNIST IDX files in {data} (give --data)")
    shift = args.shift if args.shift is not None else (2 if args.model == "cnn" else 0)

    torch.manual_seed(args.seed)
    gen = torch.Generator(device=device).manual_seed(args.seed)
    x_train, y_train = load(data, "train", device, args.limit)
    x_test, y_test = load(data, "t10k", device, args.limit)
    model = (SmallCnn() if args.model == "cnn" else mlp()).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = x_train.shape[0]
    steps_per_epoch = (n + args.batch_size - 1) // args.batch_size
    total_steps = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * min(s, total_steps) / total_steps)))

    result = {"framework": "pytorch", "torch": torch.__version__, "model": args.model, "device": str(device),
              "device_name": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
              "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32, "matmul_allow_tf32": torch.backends.cuda.matmul.allow_tf32,
              "batch_size": args.batch_size, "shift": shift, "train_samples": n, "epochs": args.epochs, "seed": args.seed,
              "epoch_seconds": [], "train_loss": [], "test_accuracy": []}
    for _ in range(args.epochs):
        model.train()
        synchronize(device)
        t0 = time.perf_counter()
        perm = torch.randperm(n, generator=gen, device=device)
        total = torch.zeros((), device=device)
        for start in range(0, n, args.batch_size):
            idx = perm[start:start + args.batch_size]
            xb, yb = x_train.index_select(0, idx), y_train.index_select(0, idx)
            if shift > 0:
                xb = random_shift(xb, shift, gen)
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.detach() * len(idx)
        synchronize(device)
        result["epoch_seconds"].append(round(time.perf_counter() - t0, 4))
        result["train_loss"].append(round(total.item() / n, 5))

        model.eval()
        correct = torch.zeros((), dtype=torch.int64, device=device)
        with torch.no_grad():
            for start in range(0, x_test.shape[0], 500):
                correct += (model(x_test[start:start + 500]).argmax(1) == y_test[start:start + 500]).sum()
        result["test_accuracy"].append(round(correct.item() / x_test.shape[0], 5))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
