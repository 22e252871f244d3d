#!/usr/bin/env python3
"""Inference speed of the PyTorch twins of mnist-mlp and mnist-cnn, beside `scratchnet bench predict`.

The MNIST test images as one float32 tensor (x/255, before timing), forward passes only in eval mode,
batch --batch-size, a warm-up pass, then the median of --repetitions passes over the 10,000 images
(wall and process CPU seconds each). The weights are PyTorch's initial ones: the arithmetic does not
depend on their values. Prints one JSON object per model.

The settings that decide how fast PyTorch 1.13 runs here are flags (defaults: the fastest found; see
docs/perf/cnn.md, "The PyTorch twin"): bench/pytorch_cnn.py's --allocator, --memory-format, --mkldnn
and --flush-denormal (the memory format applies to the CNN only), and
  --jit none|trace|freeze|optimize   optimize: torch.jit.freeze + torch.jit.optimize_for_inference
                                     (oneDNN weights prepacked, bias and ReLU fused)
  --grad-mode no-grad|inference      torch.no_grad() or torch.inference_mode()

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
from pytorch_cnn import SmallCnn, add_twin_options, apply_twin_options, load, to_memory_format  # noqa: E402
from pytorch_mlp import find_data_dir  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=1000)
    ap.add_argument("--repetitions", type=int, default=5)
    ap.add_argument("--models", default="mlp,cnn")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--jit", choices=["none", "trace", "freeze", "optimize"], default="optimize")
    ap.add_argument("--grad-mode", choices=["no-grad", "inference"], default="inference")
    add_twin_options(ap)
    args = ap.parse_args()
    settings = apply_twin_options(args)
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    x, _ = load(find_data_dir("mnist", args.data_dir), "t10k")
    grad_mode = torch.inference_mode if args.grad_mode == "inference" else torch.no_grad
    nets = {"mlp": lambda: (nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10)),
                            x.reshape(-1, 784).contiguous()),
            "cnn": lambda: tuple(to_memory_format(args, SmallCnn(), x))}
    for name in args.models.split(","):
        if name not in nets:
            sys.exit(f"error: --models: unknown model '{name}' (mlp, cnn)")
        model, inputs = nets[name]()
        model.eval()
        if args.jit != "none":
            with torch.no_grad():
                model = torch.jit.trace(model, inputs[:args.batch_size])
                if args.jit == "freeze":
                    model = torch.jit.freeze(model)
                elif args.jit == "optimize":
                    model = torch.jit.optimize_for_inference(torch.jit.freeze(model))

        def one_pass():
            with grad_mode():
                for start in range(0, inputs.shape[0], args.batch_size):
                    model(inputs[start:start + args.batch_size])

        one_pass()
        one_pass()  # a traced module specialises on its second call
        seconds, cpu_seconds = [], []
        for _ in range(args.repetitions):
            t0, c0 = time.perf_counter(), time.process_time()
            one_pass()
            seconds.append(time.perf_counter() - t0)
            cpu_seconds.append(time.process_time() - c0)
        median = statistics.median(seconds)
        print(json.dumps({"framework": "pytorch", "model": name, "samples": inputs.shape[0], "batch_size": args.batch_size,
                          "threads": args.threads, "jit": args.jit, "grad_mode": args.grad_mode, **settings,
                          "seconds": seconds, "cpu_seconds": cpu_seconds, "samples_per_second": inputs.shape[0] / median,
                          "samples_per_cpu_second": inputs.shape[0] / statistics.median(cpu_seconds)}), flush=True)


if __name__ == "__main__":
    main()
