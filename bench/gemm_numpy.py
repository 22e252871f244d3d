#!/usr/bin/env python3
"""GEMM speed of numpy (Debian's numpy calls OpenBLAS) on the shapes of `scratchnet bench gemm`.

Prints one JSON object per line with the same keys as `scratchnet bench gemm --json`:
m, k, n, transA, transB, threads, gflops (median of the timed repetitions), best_gflops, seconds, label.
The thread count is OpenBLAS's: set OPENBLAS_NUM_THREADS before starting Python (compare_gemm.sh does);
--threads only labels the output and must agree with it.

    OPENBLAS_NUM_THREADS=1 python3 bench/gemm_numpy.py --threads 1 [--shapes mlp] [--repetitions 7] [--cpu-time]
    OPENBLAS_NUM_THREADS=2 python3 bench/gemm_numpy.py --threads 2 --shape 4096x784x256,784x4096x256:TN

--shape takes the same MxKxN[:NN|TN|NT|TT] list as `scratchnet bench gemm --shape` (op(A) m x k,
op(B) k x n; T: that operand transposed) and measures only those products (label "given").

--cpu-time times with the process's CPU time (time.process_time) instead of the wall clock, like
`bench gemm --cpu-time`; one thread only.
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


def measure(m, k, n, trans_a, trans_b, repetitions, min_seconds=0.03, warmup_seconds=0.1, clock=time.perf_counter):
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

    start = clock()
    calls = 0
    while clock() - start < warmup_seconds or calls < 3:
        call()
        calls += 1
    per_call = max(1e-9, (clock() - start) / calls)
    iterations = max(1, int(np.ceil(min_seconds / per_call)))
    times = []
    for _ in range(repetitions):
        t0 = clock()
        for _ in range(iterations):
            call()
        times.append((clock() - t0) / iterations)
    times.sort()
    return times[len(times) // 2], times[0]


def parse_shape(entry):
    """'784x64x256:TN' -> (784, 64, 256, True, False, 'given')."""
    dims, _, op = entry.strip().partition(":")
    parts = dims.lower().split("x")
    op = (op or "NN").upper()
    if len(parts) != 3 or not all(p.isdigit() and int(p) > 0 for p in parts) or op not in ("NN", "TN", "NT", "TT"):
        raise ValueError(f"'{entry}' is not MxKxN[:NN|TN|NT|TT] with sizes of at least 1")
    m, k, n = (int(p) for p in parts)
    return (m, k, n, op[0] == "T", op[1] == "T", "given")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=int(os.environ.get("OPENBLAS_NUM_THREADS", "0") or 0),
                        help="label for the output; must equal OPENBLAS_NUM_THREADS")
    parser.add_argument("--repetitions", type=int, default=7)
    parser.add_argument("--shapes", default=None, help="only shapes whose label contains this text")
    parser.add_argument("--cpu-time", action="store_true", help="time with process CPU time (one thread only)")
    parser.add_argument("--shape", action="append", default=[], help="MxKxN[:OP], repeatable or comma-separated")
    args = parser.parse_args()
    try:
        given = [parse_shape(e) for s in args.shape for e in s.split(",")]
    except ValueError as e:
        print(f"error: --shape {e}", file=sys.stderr)
        return 2
    if args.cpu_time and args.threads != 1:
        print(f"error: --cpu-time needs --threads 1 (got {args.threads}).", file=sys.stderr)
        return 2
    env_threads = os.environ.get("OPENBLAS_NUM_THREADS")
    if env_threads is None or int(env_threads) != args.threads:
        print(f"error: set OPENBLAS_NUM_THREADS={args.threads} before starting Python (it is {env_threads}).", file=sys.stderr)
        return 2
    for m, k, n, ta, tb, label in given + ([] if given and not args.shapes else SHAPES):
        if args.shapes and label != "given" and args.shapes.lower() not in label:
            continue
        median, best = measure(m, k, n, ta, tb, args.repetitions,
                               clock=time.process_time if args.cpu_time else time.perf_counter)
        flops = 2.0 * m * n * k
        print(json.dumps({"m": m, "k": k, "n": n, "transA": ta, "transB": tb, "threads": args.threads,
                          "gflops": round(flops / median / 1e9, 2), "best_gflops": round(flops / best / 1e9, 2),
                          "seconds": median, "label": label}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
