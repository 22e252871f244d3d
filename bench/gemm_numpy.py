#!/usr/bin/env python3
"""GEMM speed of numpy (Debian's numpy calls OpenBLAS) on the shapes of `scratchnet bench gemm`.

Prints one JSON object per line with the same keys as `scratchnet bench gemm --json`:
m, k, n, transA, transB, threads, gflops (median of the timed repetitions), best_gflops, seconds, label.
The thread count is OpenBLAS's: set OPENBLAS_NUM_THREADS before starting Python (compare_gemm.sh does);
--threads only labels the output and must agree with it.

    OPENBLAS_NUM_THREADS=1 python3 bench/gemm_numpy.py --threads 1 [--shapes mlp] [--repetitions 7]
"""
import argparse
import json
import os
import sys
import time

import numpy as np

# (m, k, n, transA, transB, label): op(A) is m x k, op(B) is k x n; same list as GemmBenchmark.StandardShapes.
SHAPES = [
    (512, 512, 512, False, False, "square"),
    (1024, 1024, 1024, False, False, "square"),
    (2048, 2048, 2048, False, False, "square"),
    (64, 784, 256, False, False, "mlp forward"),
    (64, 256, 128, False, False, "mlp forward"),
    (64, 128, 10, False, False, "mlp forward"),
    (784, 64, 256, True, False, "mlp weight gradient"),
    (256, 64, 128, True, False, "mlp weight gradient"),
    (128, 64, 10, True, False, "mlp weight gradient"),
    (64, 128, 256, False, True, "mlp input gradient"),
    (64, 10, 128, False, True, "mlp input gradient"),
]


def measure(m, k, n, trans_a, trans_b, repetitions, min_seconds=0.03, warmup_seconds=0.1):
    rng = np.random.default_rng(12345)
    # Stored as the transposed layout and used through a transposed view, so OpenBLAS gets a
    # transpose flag (no copy), like our Gemm.Multiply(transA, transB, ...).
    a = (rng.random((k, m) if trans_a else (m, k), dtype=np.float32) * 2 - 1)
    b = (rng.random((n, k) if trans_b else (k, n), dtype=np.float32) * 2 - 1)
    op_a = a.T if trans_a else a
    op_b = b.T if trans_b else b
    c = np.empty((m, n), dtype=np.float32)

    def call():
        np.matmul(op_a, op_b, out=c)

    start = time.perf_counter()
    calls = 0
    while time.perf_counter() - start < warmup_seconds or calls < 3:
        call()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    iterations = max(1, int(np.ceil(min_seconds / per_call)))
    times = []
    for _ in range(repetitions):
        t0 = time.perf_counter()
        for _ in range(iterations):
            call()
        times.append((time.perf_counter() - t0) / iterations)
    times.sort()
    return times[len(times) // 2], times[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OPENBLAS_NUM_THREADS", "0") or 0),
                        help="label for the output; must equal OPENBLAS_NUM_THREADS")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--shapes", default=None, help="only shapes whose label contains this text")
    args = parser.parse_args()
    env_threads = os.environ.get("OPENBLAS_NUM_THREADS")
    if env_threads is None or int(env_threads) != args.threads:
        print(f"error: set OPENBLAS_NUM_THREADS={args.threads} before starting Python (it is {env_threads}).", file=sys.stderr)
        return 2
    for m, k, n, ta, tb, label in SHAPES:
        if args.shapes and args.shapes.lower() not in label:
            continue
        median, best = measure(m, k, n, ta, tb, args.repetitions)
        flops = 2.0 * m * n * k
        print(json.dumps({"m": m, "k": k, "n": n, "transA": ta, "transB": tb, "threads": args.threads,
                          "gflops": round(flops / median / 1e9, 2), "best_gflops": round(flops / best / 1e9, 2),
                          "seconds": median, "label": label}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
