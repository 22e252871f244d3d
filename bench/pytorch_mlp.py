#!/usr/bin/env python3
"""PyTorch twin of ScratchNet's mnist-mlp / fashion-mlp presets, for speed and accuracy comparison.

Same recipe: 784-256-128-10, ReLU, softmax cross-entropy (nn.CrossEntropyLoss on logits), Adam
lr 1e-3 (betas 0.9/0.999, eps 1e-8) annealed per step by a cosine to 0 (--schedule constant
turns that off), batch 64 with a new shuffle every epoch (last partial batch
kept), 10 epochs, pixels x/255 in [0, 1]. PyTorch's default Linear init (Kaiming-uniform with
a=sqrt(5)) is used. Data is read from the same IDX .gz files with numpy and kept as one float32
tensor (x/255 once, before timing), as a PyTorch user would; the training loop does no per-step
Python work the recipe does not need (the loss is summed on a tensor, read once per epoch; the
per-step cosine is the recipe's). --uint8-batches converts each batch from bytes instead, as
ScratchNet does (the twin used before issue 18's check).

Prints one JSON object: per-epoch training seconds (evaluation excluded) and process CPU seconds, test loss and accuracy
per epoch, the final accuracy, and the peak resident set size (resource.getrusage, bytes).

Run (Debian's torch needs the OpenMP OpenBLAS):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch_mlp.py --threads 2
"""
import argparse
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


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    rank = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def find_data_dir(dataset, data_dir):
    candidates = []
    if data_dir:
        candidates += [os.path.join(data_dir, dataset), data_dir]
    here = os.path.dirname(os.path.abspath(__file__))
    candidates += [os.path.join(here, "..", "data", dataset), os.path.join("/work/shared/data", dataset),
                   os.path.join("/usr/share/datasets", dataset)]
    for c in candidates:
        if os.path.exists(os.path.join(c, "train-images-idx3-ubyte.gz")):
            return c
    sys.exit(f"error: cannot find {dataset} IDX files; looked in: {', '.join(candidates)}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dataset", default="mnist", choices=["mnist", "fashion-mnist"])
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--train-limit", type=int, default=None, help="use only the first N training images (smoke test)")
    ap.add_argument("--uint8-batches", action="store_true", help="keep the images as bytes and convert each batch (the older, slower twin)")
    ap.add_argument("--schedule", default="cosine", choices=["cosine", "constant"],
                    help="cosine: lr 1e-3 * (1 + cos(pi * step / total_steps)) / 2 per step, as the ScratchNet preset")
    ap.add_argument("--flush-denormal", action="store_true", help="torch.set_flush_denormal(True): subnormal floats read as 0")
    ap.add_argument("--no-mkldnn", action="store_true", help="torch.backends.mkldnn.enabled = False (oneDNN off)")
    ap.add_argument("--adam", default="default", choices=["default", "foreach", "single"],
                    help="torch.optim.Adam's implementation: its default, foreach=True (one call per step for all parameters) or foreach=False")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    if args.flush_denormal and not torch.set_flush_denormal(True):
        sys.exit("error: --flush-denormal: this CPU or build cannot flush denormals")
    if args.no_mkldnn:
        torch.backends.mkldnn.enabled = False
    torch.manual_seed(args.seed)
    d = find_data_dir(args.dataset, args.data_dir)
    xtr = torch.from_numpy(read_idx(os.path.join(d, "train-images-idx3-ubyte.gz")).reshape(-1, 784).copy())
    ytr = torch.from_numpy(read_idx(os.path.join(d, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    if args.train_limit:
        xtr, ytr = xtr[:args.train_limit], ytr[:args.train_limit]
    xte = torch.from_numpy(read_idx(os.path.join(d, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).copy())
    yte = torch.from_numpy(read_idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz")).astype(np.int64))

    if not args.uint8_batches:
        xtr, xte = xtr.float().div_(255.0), xte.float().div_(255.0)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    adam_args = {} if args.adam == "default" else {"foreach": args.adam == "foreach"}
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, **adam_args)
    loss_fn = nn.CrossEntropyLoss()
    steps_per_epoch = (xtr.shape[0] + args.batch_size - 1) // args.batch_size
    total_steps = steps_per_epoch * args.epochs
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, (lambda s: 0.5 * (1 + math.cos(math.pi * min(s, total_steps) / total_steps))) if args.schedule == "cosine" else (lambda s: 1.0))
    gen = torch.Generator().manual_seed(args.seed)
    n = xtr.shape[0]

    epoch_seconds, epoch_cpu, train_loss, test_loss, test_acc = [], [], [], [], []
    for _ in range(args.epochs):
        model.train()
        t0 = time.perf_counter()
        c0 = time.process_time()
        perm = torch.randperm(n, generator=gen)
        total = torch.zeros(())
        for start in range(0, n, args.batch_size):
            idx = perm[start:start + args.batch_size]
            x = xtr[idx].float().div_(255.0) if args.uint8_batches else xtr[idx]
            y = ytr[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            sched.step()
            total += loss.detach() * len(idx)
        epoch_seconds.append(time.perf_counter() - t0)
        epoch_cpu.append(time.process_time() - c0)
        train_loss.append(total.item() / n)
        model.eval()
        with torch.no_grad():
            correct, lsum = 0, 0.0
            for start in range(0, xte.shape[0], 500):
                x = xte[start:start + 500].float().div_(255.0) if args.uint8_batches else xte[start:start + 500]
                y = yte[start:start + 500]
                out = model(x)
                lsum += loss_fn(out, y).item() * len(y)
                correct += (out.argmax(1) == y).sum().item()
        test_loss.append(lsum / xte.shape[0])
        test_acc.append(correct / xte.shape[0])

    print(json.dumps({
        "framework": "pytorch", "torch": torch.__version__, "dataset": args.dataset,
        "model": "784-256-128-10, ReLU", "optimizer": "Adam", "schedule": args.schedule, "batch_size": args.batch_size,
        "data": "uint8, converted per batch" if args.uint8_batches else "float32 tensor, scaled once",
        "epochs": args.epochs, "seed": args.seed, "threads": args.threads,
        "flush_denormal": args.flush_denormal, "adam": args.adam, "mkldnn": torch.backends.mkldnn.enabled,
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
        "epoch_seconds": epoch_seconds, "epoch_cpu_seconds": epoch_cpu, "train_loss": train_loss, "test_loss": test_loss,
        "test_accuracy": test_acc, "final_test_accuracy": test_acc[-1],
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
