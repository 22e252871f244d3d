#!/usr/bin/env bash
# ScratchNet's mnist-mlp preset against its PyTorch twin (bench/pytorch_mlp.py), side by side:
# seconds per epoch (training only), final test accuracy, peak memory.
#
#   bench/compare_mlp.sh [THREADS] [EPOCHS] [DATASET]     default: 2 threads, 10 epochs, mnist
#
# DATASET is mnist or fashion-mnist (presets mnist-mlp / fashion-mlp). The two runs go one after the
# other, never at the same time. Raw results stay in $OUT_DIR (default: a new temp folder):
# scratchnet/metrics.json and pytorch.json. Run it on a quiet machine: other load skews both sides.
#
# On a loaded machine set OMP_WAIT_POLICY=PASSIVE: PyTorch's OpenMP threads otherwise spin while
# descheduled (one epoch took 376 s instead of 2.5 s under a load of 33 on 2 cores).
# Environment: SCRATCHNET (command to run instead of the built CLI, e.g. "dotnet path/to/ScratchNet.Cli.dll"),
# PYTHON (default /usr/bin/python3), OUT_DIR, DATA_DIR (passed to both as the data folder).
# ScratchNet is run as: $SCRATCHNET train --preset P --epochs E --seed 1 --threads T --out DIR [--data-dir D]
set -euo pipefail

cd "$(dirname "$0")/.."
THREADS="${1:-2}"
EPOCHS="${2:-10}"
DATASET="${3:-mnist}"
case "$DATASET" in
    mnist) PRESET=mnist-mlp ;;
    fashion-mnist) PRESET=fashion-mlp ;;
    *) echo "error: DATASET must be mnist or fashion-mnist (got '$DATASET')." >&2; exit 2 ;;
esac
PYTHON="${PYTHON:-/usr/bin/python3}"
OUT_DIR="${OUT_DIR:-$(mktemp -d -t mlp-compare.XXXXXX)}"
mkdir -p "$OUT_DIR"
DATA_ARGS=()
PY_DATA_ARGS=()
if [ -n "${DATA_DIR:-}" ]; then DATA_ARGS=(--data-dir "$DATA_DIR"); PY_DATA_ARGS=(--data-dir "$DATA_DIR"); fi

if [ -z "${SCRATCHNET:-}" ]; then
    echo "Building the CLI in Release..." >&2
    dotnet build src/ScratchNet.Cli -c Release -v quiet -nologo >&2
    SCRATCHNET="dotnet src/ScratchNet.Cli/bin/Release/net10.0/ScratchNet.Cli.dll"
fi
if ! "$PYTHON" -c "import torch, numpy" 2>/dev/null; then
    echo "error: $PYTHON cannot import torch and numpy (apt-get install python3-torch python3-numpy)." >&2
    exit 1
fi

echo "ScratchNet: $PRESET, $EPOCHS epochs, $THREADS threads..." >&2
$SCRATCHNET train --preset "$PRESET" --epochs "$EPOCHS" --seed 1 --threads "$THREADS" --out "$OUT_DIR/scratchnet" "${DATA_ARGS[@]}" >&2

echo "PyTorch: same recipe, $THREADS threads..." >&2
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS="$THREADS" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-ACTIVE}" \
    "$PYTHON" bench/pytorch_mlp.py --threads "$THREADS" --epochs "$EPOCHS" --dataset "$DATASET" "${PY_DATA_ARGS[@]}" > "$OUT_DIR/pytorch.json"

"$PYTHON" - "$OUT_DIR/scratchnet/metrics.json" "$OUT_DIR/pytorch.json" <<'PY'
import json, statistics, sys
ours = json.load(open(sys.argv[1]))
torch = json.load(open(sys.argv[2]))
def row(name, o, t, fmt):
    print(f"{name:<28}{fmt(o):>14}{fmt(t):>14}")
mo, mt = statistics.median(ours["epoch_seconds"]), statistics.median(torch["epoch_seconds"])
print(f"{'':<28}{'ScratchNet':>14}{'PyTorch':>14}")
row("median s/epoch", mo, mt, lambda v: f"{v:.3f}")
if "epoch_cpu_seconds" in ours and "epoch_cpu_seconds" in torch:
    row("median CPU s/epoch", statistics.median(ours["epoch_cpu_seconds"]), statistics.median(torch["epoch_cpu_seconds"]), lambda v: f"{v:.3f}")
row("total training s", sum(ours["epoch_seconds"]), sum(torch["epoch_seconds"]), lambda v: f"{v:.1f}")
row("final test accuracy", ours["final_test_accuracy"], torch["final_test_accuracy"], lambda v: f"{100 * v:.2f} %")
row("peak memory MiB", ours["peak_working_set_bytes"] / 2**20, torch["peak_rss_bytes"] / 2**20, lambda v: f"{v:.0f}")
print(f"time ratio ScratchNet / PyTorch: {mo / mt:.2f}  (goal <= 0.5)")
PY
echo "raw results: $OUT_DIR" >&2
