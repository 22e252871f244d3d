#!/usr/bin/env bash
# The eight products of one 784-256-128-10 MLP training step, ours against OpenBLAS (numpy), at
# batch B = 16, 64, 256, 1024, 4096 on 2 threads: issue 18's table, printed as markdown.
#
#   bench/compare_step_gemm.sh [ROUNDS]          default: 3 rounds
#
# Products per batch B: forward Bx784x256, Bx256x128, Bx128x10 (A*B); weight gradients 784xBx256,
# 256xBx128, 128xBx10 (A^T*B); input gradients Bx128x256, Bx10x128 (A*B^T). Each round runs
# `scratchnet bench gemm --threads 2 --json --shape ...` (which also measures the machine's FMA peak on
# 2 threads) and `OPENBLAS_NUM_THREADS=2 bench/gemm_numpy.py --threads 2 --shape ...`, alternating which
# goes first. The table gives medians over the rounds (each itself the median of 7 timings) of both
# sides' GFLOP/s, the ratio ours / OpenBLAS, and ours as a percentage of the measured peak (the best
# of the rounds' peaks: a round that shared a core with other work measures too low a peak).
# Raw JSON lines are kept in $OUT_DIR (default: a new temp folder). Other load on the machine lowers
# both sides: run it on a quiet machine for figures to quote.
#
# Environment: SCRATCHNET (command to run instead of the built CLI), PYTHON (default /usr/bin/python3,
# Debian's, which has numpy), OUT_DIR, THREADS (default 2), BATCHES (default "16 64 256 1024 4096").
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
case "$ROUNDS" in ''|*[!0-9]*|0) echo "error: ROUNDS must be a whole number from 1 up, got '$ROUNDS'." >&2; exit 1;; esac
THREADS="${THREADS:-2}"
BATCHES="${BATCHES:-16 64 256 1024 4096}"
PYTHON="${PYTHON:-/usr/bin/python3}"
OUT_DIR="${OUT_DIR:-$(mktemp -d -t step-gemm.XXXXXX)}"
mkdir -p "$OUT_DIR"

if [ -z "${SCRATCHNET:-}" ]; then
    echo "Building the CLI in Release..." >&2
    dotnet build src/ScratchNet.Cli -c Release -v quiet -nologo >&2
    SCRATCHNET="dotnet src/ScratchNet.Cli/bin/Release/net10.0/ScratchNet.Cli.dll"
fi
if ! $SCRATCHNET bench gemm --help >/dev/null 2>&1; then
    echo "error: '$SCRATCHNET bench gemm' does not run." >&2
    exit 1
fi
if ! "$PYTHON" -c "import numpy" 2>/dev/null; then
    echo "error: $PYTHON cannot import numpy (apt-get install python3-numpy, or set PYTHON)." >&2
    exit 1
fi

SHAPES=""
for b in $BATCHES; do
    SHAPES+="${b}x784x256,${b}x256x128,${b}x128x10,784x${b}x256:TN,256x${b}x128:TN,128x${b}x10:TN,${b}x128x256:NT,${b}x10x128:NT,"
done
SHAPES="${SHAPES%,}"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "BLAS behind numpy: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)" >&2
echo "raw results: $OUT_DIR" >&2

for ((r = 1; r <= ROUNDS; r++)); do
    ours() { $SCRATCHNET bench gemm --threads "$THREADS" --json --shape "$SHAPES" > "$OUT_DIR/ours_r${r}.jsonl"; }
    blas() { OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" "$PYTHON" bench/gemm_numpy.py --threads "$THREADS" --shape "$SHAPES" > "$OUT_DIR/numpy_r${r}.jsonl"; }
    echo "round $r/$ROUNDS (load $(cut -d' ' -f1 /proc/loadavg))..." >&2
    if (( r % 2 )); then ours; blas; else blas; ours; fi
done

"$PYTHON" - "$OUT_DIR" "$THREADS" "$BATCHES" <<'PY'
import glob, json, statistics, sys
out_dir, threads, batches = sys.argv[1], int(sys.argv[2]), [int(b) for b in sys.argv[3].split()]

def load(side):
    runs = {}
    for path in sorted(glob.glob(f"{out_dir}/{side}_r*.jsonl")):
        for line in open(path):
            if line.strip():
                row = json.loads(line)
                runs.setdefault((row["m"], row["k"], row["n"], row["transA"], row["transB"]), []).append(row)
    return runs

ours, blas = load("ours"), load("numpy")
peaks = [row["peak_gflops"] for rows in ours.values() for row in rows if "peak_gflops" in row]
peak = max(peaks) if peaks else float("nan")
rounds = max((len(v) for v in ours.values()), default=0)
print(f"{threads} threads, median GFLOP/s over {rounds} rounds; measured FMA peak on {threads} threads: {peak:.1f} GFLOP/s (best of the rounds)\n")
print("| batch | product | ours GFLOP/s | OpenBLAS | ratio | ours % of peak |")
print("|---|---|---|---|---|---|")
for b in batches:
    step = [(b, 784, 256, False, False), (b, 256, 128, False, False), (b, 128, 10, False, False),
            (784, b, 256, True, False), (256, b, 128, True, False), (128, b, 10, True, False),
            (b, 128, 256, False, True), (b, 10, 128, False, True)]
    for m, k, n, ta, tb in step:
        key = (m, k, n, ta, tb)
        if key not in ours or key not in blas:
            continue
        go = statistics.median(r["gflops"] for r in ours[key])
        gb = statistics.median(r["gflops"] for r in blas[key])
        op = ("T" if ta else "N") + ("T" if tb else "N")
        print(f"| {b} | {m}x{k}x{n} {op} | {go:.1f} | {gb:.1f} | {go / gb:.2f} | {100 * go / peak:.0f} % |")
PY
