#!/usr/bin/env python3
"""PyTorch twin of ScratchNet's mnist-cnn / fashion-cnn preset, for bench/compare_cnn.sh.

Same network (conv5x5 1->32, ReLU, maxpool 2, conv5x5 32->64, ReLU, maxpool 2, dense 1024->128, ReLU,
dense 128->10), Adam 1e-3 (cosine decay to 0 per step, as the preset; --schedule constant for none),
batch 64, pixels / 255 kept as one float32 tensor, shuffled each epoch, optional random shifts of up to
--shift px (the preset's 2), test set evaluated in batches of 500 after each epoch. Prints one JSON
line: per-epoch wall and CPU seconds, train loss, test accuracy, peak RSS and the settings used.

The settings that decide how fast Debian's PyTorch 1.13 convolves on this machine are flags, so that
every variant can be rerun (defaults: the fastest found; see docs/perf/cnn.md, "The PyTorch twin"):
  --allocator keep|glibc        keep: mallopt so that freed large blocks stay in the heap (glibc's
                                default returns each one to the kernel, and every step pays the page
                                faults of its activations again)
  --memory-format channels-last|contiguous
  --mkldnn on|off               off: ATen's im2col + OpenBLAS path instead of oneDNN
  --flush-denormal              torch.set_flush_denormal(True)
  --shift-impl gather|loop      gather: one indexing op per batch; loop: the older per-image copy

Run with Debian's torch and the OpenMP OpenBLAS:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 \\
      /usr/bin/python3 bench/pytorch_cnn.py --threads 2 --epochs 1
"""
import argparse
import ctypes
import gzip
import json
import math
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    """An IDX file (optionally gzipped) as a numpy array: magic 0x00 0x00 type rank, big-endian dims."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file")
    rank = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(folder, split):
    images = read_idx(os.path.join(folder, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(folder, f"{split}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1).contiguous()
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5)
        self.conv2 = nn.Conv2d(32, 64, 5)
        self.fc1 = nn.Linear(1024, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(x)


def add_twin_options(ap):
    """The settings that change how fast PyTorch runs the CNN, shared with bench/pytorch_infer.py."""
    ap.add_argument("--allocator", choices=["keep", "glibc"], default="keep",
                    help="keep: mallopt(M_MMAP_THRESHOLD 1 GiB, M_TRIM_THRESHOLD max), so freed activations are reused "
                         "instead of unmapped and faulted in again each step; glibc: the default allocator")
    ap.add_argument("--memory-format", choices=["channels-last", "contiguous"], default="channels-last",
                    help="layout of the images and conv weights (channels-last: oneDNN's NHWC path)")
    ap.add_argument("--mkldnn", choices=["on", "off"], default="on", help="off: ATen's im2col + BLAS convolution")
    ap.add_argument("--flush-denormal", action="store_true", help="torch.set_flush_denormal(True)")


def apply_twin_options(args):
    """Applies add_twin_options' settings to this process; returns them as a dict for the JSON line."""
    if args.allocator == "keep":
        libc = ctypes.CDLL("libc.so.6")
        M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
        if not (libc.mallopt(M_MMAP_THRESHOLD, 1 << 30) and libc.mallopt(M_TRIM_THRESHOLD, 2**31 - 1)):
            sys.exit("error: mallopt refused the --allocator keep settings")
    torch.backends.mkldnn.enabled = args.mkldnn == "on"
    if args.flush_denormal and not torch.set_flush_denormal(True):
        sys.exit("error: --flush-denormal: this CPU does not support flushing denormals")
    return {"allocator": args.allocator, "memory_format": args.memory_format, "mkldnn": args.mkldnn,
            "flush_denormal": args.flush_denormal, "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "")}


def to_memory_format(args, *tensors_or_modules):
    fmt = torch.channels_last if args.memory_format == "channels-last" else torch.contiguous_format
    return [t.to(memory_format=fmt) if isinstance(t, nn.Module) else t.contiguous(memory_format=fmt) for t in tensors_or_modules]


def random_shift_loop(x, max_shift, gen):
    """Moves each image by a whole-pixel (dy, dx) in [-max_shift, max_shift], zero-filled; one copy per image."""
    n, _, h, w = x.shape
    pad = F.pad(x, (max_shift, max_shift, max_shift, max_shift))
    shifts = torch.randint(0, 2 * max_shift + 1, (n, 2), generator=gen)
    out = torch.empty_like(x)
    for i in range(n):
        dy, dx = int(shifts[i, 0]), int(shifts[i, 1])
        out[i] = pad[i, :, dy:dy + h, dx:dx + w]
    return out


def random_shift_gather(x, max_shift, gen):
    """random_shift_loop's shifts (the same draws) as one gather over the padded batch (single-channel images)."""
    n, _, h, w = x.shape
    pad = F.pad(x, (max_shift, max_shift, max_shift, max_shift))
    shifts = torch.randint(0, 2 * max_shift + 1, (n, 2), generator=gen)
    rows = shifts[:, 0:1] + torch.arange(h)
    cols = shifts[:, 1:2] + torch.arange(w)
    return pad[torch.arange(n)[:, None, None], 0, rows[:, :, None], cols[:, None, :]].unsqueeze(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="data/mnist", help="folder with the four IDX .gz files")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--shift", type=int, default=0, help="max random shift in pixels (0 = none; the mnist-cnn preset: 2)")
    ap.add_argument("--shift-impl", choices=["gather", "loop"], default="gather")
    ap.add_argument("--schedule", choices=["cosine", "constant"], default="cosine",
                    help="cosine: lr 1e-3 * (1 + cos(pi * step / total_steps)) / 2 per step, as the preset")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N samples (profiling)")
    ap.add_argument("--seed", type=int, default=1)
    add_twin_options(ap)
    args = ap.parse_args()

    settings = apply_twin_options(args)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    x_train, y_train = load(args.data, "train")
    x_test, y_test = load(args.data, "t10k")
    if args.limit > 0:
        x_train, y_train = x_train[:args.limit], y_train[:args.limit]
        x_test, y_test = x_test[:args.limit], y_test[:args.limit]
    shift = random_shift_gather if args.shift_impl == "gather" else random_shift_loop

    model, = to_memory_format(args, SmallCnn())
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    n = x_train.shape[0]
    total_steps = (n + args.batch_size - 1) // args.batch_size * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, (lambda s: 0.5 * (1 + math.cos(math.pi * min(s, total_steps) / total_steps))) if args.schedule == "cosine" else (lambda s: 1.0))
    result = {"framework": "pytorch", "torch": torch.__version__, "dataset": os.path.basename(os.path.normpath(args.data)),
              "threads": torch.get_num_threads(), "batch_size": args.batch_size, "shift": args.shift, "shift_impl": args.shift_impl,
              "schedule": args.schedule, **settings,
              "epoch_seconds": [], "epoch_cpu_seconds": [], "eval_seconds": [], "train_loss": [], "test_accuracy": []}
    for _ in range(args.epochs):
        model.train()
        perm = torch.randperm(n, generator=gen)
        t0, c0 = time.perf_counter(), time.process_time()
        loss_sum = torch.zeros(())
        for start in range(0, n, args.batch_size):
            idx = perm[start:start + args.batch_size]
            xb, yb = x_train[idx], y_train[idx]
            if args.shift > 0:
                xb = shift(xb, args.shift, gen)
            xb, = to_memory_format(args, xb)
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            sched.step()
            loss_sum += loss.detach() * len(idx)
        result["epoch_seconds"].append(round(time.perf_counter() - t0, 3))
        result["epoch_cpu_seconds"].append(round(time.process_time() - c0, 3))
        result["train_loss"].append(round(loss_sum.item() / n, 5))

        model.eval()
        t0 = time.perf_counter()
        correct = 0
        with torch.no_grad():
            for start in range(0, x_test.shape[0], 500):
                xb, = to_memory_format(args, x_test[start:start + 500])
                correct += (model(xb).argmax(1) == y_test[start:start + 500]).sum().item()
        result["eval_seconds"].append(round(time.perf_counter() - t0, 3))
        result["test_accuracy"].append(round(correct / x_test.shape[0], 5))
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
