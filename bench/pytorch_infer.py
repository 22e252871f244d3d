#!/usr/bin/env python3
"""Inference speed of the PyTorch twins of mnist-mlp and mnist-cnn, beside `scratchnet bench predict`.

The MNIST test images as one float32 tensor (x/255, before timing), forward passes only under
torch.no_grad() in eval mode, batch --batch-size, a warm-up pass, then the median of --repetitions
passes over the 10,000 images. The weights are PyTorch's initial ones: the arithmetic does not
depend on their values. Prints one JSON object per model.

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS=2 \\
        /usr/bin/python3 bench/pytorch_infer.py --threads 2 [--batch-size 1000] [--models mlp,cnn]
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_cnn import SmallCnn, load  # noqa: E402  the CNN twin's network and reader
from pytorch_mlp import find_data_dir  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--models", default="mlp,cnn")
    ap.add_argument("--data-dir", default=None)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, _ = load(find_data_dir("mnist", args.data_dir), "t10k")
    nets = {"mlp": (nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)), x.reshape(-1, 784).contiguous()),
            "cnn": (SmallCnn(), x)}
    for name in args.models.split(","):
        model, inputs = nets[name]
        model.eval()

        def one_pass():
            with torch.no_grad():
                for start in range(0, inputs.shape[0], args.batch_size):
                    model(inputs[start:start + args.batch_size])

        one_pass()
        seconds = []
        for _ in range(args.repetitions):
            t0 = time.perf_counter()
            one_pass()
            seconds.append(time.perf_counter() - t0)
        median = statistics.median(seconds)
        print(json.dumps({"framework": "pytorch", "model": name, "samples": inputs.shape[0], "batch_size": args.batch_size,
                          "threads": args.threads, "seconds": seconds, "samples_per_second": inputs.shape[0] / median}), flush=True)


if __name__ == "__main__":
    main()
