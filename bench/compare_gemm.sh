#!/usr/bin/env bash
# Compare our GEMM (scratchnet bench gemm) with numpy/OpenBLAS on the same shapes, same machine.
#
#   bench/compare_gemm.sh [ROUNDS] [THREADS...]      default: 3 rounds, threads 1 and 2
#
# Builds the CLI in Release once, then for each round and thread count runs our benchmark and
# numpy's (OPENBLAS_NUM_THREADS = our thread count), alternating which goes first. Prints, per
# thread count, a table of medians over the rounds (GFLOP/s, each itself the median of 7 timings)
# and the ratio ours / OpenBLAS, then the goals: squares >= 0.90 (1 and 2 threads), the eight MLP
# products summed (total flops / total time) >= 1.00 on 1 thread. Raw JSON lines are kept in
# $OUT_DIR (default: a new temp folder). Run it on a quiet machine: other load skews both sides.
#
# Environment: SCRATCHNET (command to run instead of the built CLI, e.g. "dotnet path/to/other.dll"),
# PYTHON (default /usr/bin/python3), OUT_DIR, SHAPES (label filter passed to both, e.g. "mlp").
set -euo pipefail

cd "$(dirname "$0")/.."
ROUNDS="${1:-3}"
shift || true
THREADS=("$@")
[ ${#THREADS[@]} -eq 0 ] && THREADS=(1 2)
PYTHON="${PYTHON:-/usr/bin/python3}"
OUT_DIR="${OUT_DIR:-$(mktemp -d -t gemm-compare.XXXXXX)}"
mkdir -p "$OUT_DIR"
SHAPE_ARGS=()
[ -n "${SHAPES:-}" ] && SHAPE_ARGS=(--shapes "$SHAPES")

if [ -z "${SCRATCHNET:-}" ]; then
    echo "Building the CLI in Release..." >&2
    dotnet build src/ScratchNet.Cli -c Release -v quiet -nologo >&2
    SCRATCHNET="dotnet src/ScratchNet.Cli/bin/Release/net10.0/ScratchNet.Cli.dll"
fi
if ! $SCRATCHNET bench gemm --help >/dev/null 2>&1; then
    echo "error: '$SCRATCHNET bench gemm' does not run (is BenchGemmCommand wired under 'bench' in CliApp.cs?)." >&2
    exit 1
fi
if ! "$PYTHON" -c "import numpy" 2>/dev/null; then
    echo "error: $PYTHON cannot import numpy (apt-get install python3-numpy)." >&2
    exit 1
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "BLAS behind numpy: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)" >&2
echo "raw results: $OUT_DIR" >&2

for ((r = 1; r <= ROUNDS; r++)); do
    for t in "${THREADS[@]}"; do
        ours() { $SCRATCHNET bench gemm --threads "$t" --json "${SHAPE_ARGS[@]}" > "$OUT_DIR/ours_t${t}_r${r}.jsonl"; }
        blas() { OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" "$PYTHON" bench/gemm_numpy.py --threads "$t" "${SHAPE_ARGS[@]}" > "$OUT_DIR/numpy_t${t}_r${r}.jsonl"; }
        echo "round $r/$ROUNDS, $t thread(s)..." >&2
        if (( r % 2 )); then ours; blas; else blas; ours; fi
    done
done

"$PYTHON" - "$OUT_DIR" "${THREADS[@]}" <<'PY'
import glob, json, statistics, sys
out_dir, threads = sys.argv[1], [int(t) for t in sys.argv[2:]]

def load(side, t):
    runs = {}
    for path in sorted(glob.glob(f"{out_dir}/{side}_t{t}_r*.jsonl")):
        for line in open(path):
            line = line.strip()
            if not line:
                continue
            row = json.loads(line)
            key = (row["m"], row["k"], row["n"], row["transA"], row["transB"])
            runs.setdefault(key, {"label": row["label"], "gflops": [], "best": []})
            runs[key]["gflops"].append(row["gflops"])
            runs[key]["best"].append(row.get("best_gflops", row["gflops"]))
    return runs

failed = False
for t in threads:
    ours, blas = load("ours", t), load("numpy", t)
    print(f"\n== {t} thread(s): GFLOP/s, median over {max((len(v['gflops']) for v in ours.values()), default=0)} rounds (best in brackets) ==")
    print(f"{'m x k x n':<18} {'op':<8} {'ours':>16} {'OpenBLAS':>16} {'ratio':>7}")
    mlp_flops = mlp_ours_s = mlp_blas_s = 0.0
    square_ratios = []
    for key, o in ours.items():
        if key not in blas:
            continue
        b = blas[key]
        m, k, n, ta, tb = key
        go, gb = statistics.median(o["gflops"]), statistics.median(b["gflops"])
        ratio = go / gb
        op = ("A^T" if ta else "A") + "*" + ("B^T" if tb else "B")
        print(f"{f'{m} x {k} x {n}':<18} {op:<8} {go:8.1f} [{max(o['best']):5.1f}] {gb:8.1f} [{max(b['best']):5.1f}] {ratio:7.2f}")
        flops = 2.0 * m * n * k
        if o["label"].startswith("mlp"):
            mlp_flops += flops
            mlp_ours_s += flops / (go * 1e9)
            mlp_blas_s += flops / (gb * 1e9)
        if o["label"] == "square":
            square_ratios.append(ratio)
    if square_ratios:
        worst = min(square_ratios)
        ok = worst >= 0.90
        failed |= not ok
        print(f"squares: worst ratio {worst:.2f} (goal >= 0.90) {'OK' if ok else 'MISSED'}")
    if mlp_flops:
        ratio = mlp_blas_s / mlp_ours_s
        line = f"MLP step, 8 products summed: ours {mlp_flops / mlp_ours_s / 1e9:.1f}, OpenBLAS {mlp_flops / mlp_blas_s / 1e9:.1f} GFLOP/s, ratio {ratio:.2f}"
        if t == 1:
            ok = ratio >= 1.00
            failed |= not ok
            line += f" (goal >= 1.00) {'OK' if ok else 'MISSED'}"
        print(line)
sys.exit(1 if failed else 0)
PY
