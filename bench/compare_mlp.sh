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
# ScratchNet is run as: $SCRATCHNET train P --epochs E --seed 1 --threads T --out DIR [--data-dir D]
#
# Table mode (issue 18: the epoch at every batch size): set BATCHES, e.g.
#   BATCHES="16 64 256 1024 4096" ROUNDS=3 bench/compare_mlp.sh 2 4
# For each round and each batch size B, `scratchnet bench train PRESET --batch-size B --epochs E --json`
# (which finds the data itself: DATA_DIR goes to the twin only) and then `pytorch_mlp.py --batch-size B
# --epochs E`, one after the other (alternated); each run
# gives the median of its epochs 2..E (the first epoch warms up), wall clock and process CPU time.
# Prints a progress line per run, then two tables (wall, CPU): per round ours / PyTorch (ratio), and the median ratio.
# Raw JSON in $OUT_DIR/table/. EPOCHS must be at least 2 here (default 4).
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

if [ -n "${BATCHES:-}" ]; then
    EPOCHS="${2:-4}"
    ROUNDS="${ROUNDS:-3}"
    if [ "$EPOCHS" -lt 2 ]; then echo "error: table mode needs at least 2 epochs (got $EPOCHS)." >&2; exit 2; fi
    mkdir -p "$OUT_DIR/table"
    for round in $(seq 1 "$ROUNDS"); do
        for batch in $BATCHES; do
            echo "round $round, batch $batch: ScratchNet, then PyTorch ($(cut -d' ' -f1-3 /proc/loadavg) load)" >&2
            $SCRATCHNET bench train "$PRESET" --batch-size "$batch" --epochs "$EPOCHS" --threads "$THREADS" --json \
                > "$OUT_DIR/table/ours_b${batch}_r${round}.json"
            LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS="$THREADS" OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-ACTIVE}" \
                "$PYTHON" bench/pytorch_mlp.py --threads "$THREADS" --epochs "$EPOCHS" --batch-size "$batch" --dataset "$DATASET" "${PY_DATA_ARGS[@]}" \
                > "$OUT_DIR/table/pytorch_b${batch}_r${round}.json"
        done
    done
    "$PYTHON" - "$OUT_DIR/table" "$ROUNDS" $BATCHES <<'PY'
import json, statistics, sys
folder, rounds, batches = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def later(run, key):
    values = [v for v in run.get(key, [])[1:] if v is not None]  # epochs 2..E
    return statistics.median(values) if values else float("nan")
print(f"epoch seconds, median of epochs 2-E; per round: ours / PyTorch (ratio); CPU seconds in the second table")
for key, title in (("epoch_seconds", "wall"), ("epoch_cpu_seconds", "cpu")):
    print(f"\n{title}: | batch | " + " | ".join(f"round {r}" for r in range(1, rounds + 1)) + " | median ratio |")
    for b in batches:
        cells, ratios = [], []
        for r in range(1, rounds + 1):
            ours = json.load(open(f"{folder}/ours_b{b}_r{r}.json"))
            torch = json.load(open(f"{folder}/pytorch_b{b}_r{r}.json"))
            o, t = later(ours, key), later(torch, key)
            ratios.append(o / t)
            cells.append(f"{o:.3f} / {t:.3f} ({o / t:.2f})")
        print(f"| {b} | " + " | ".join(cells) + f" | {statistics.median(ratios):.2f} |")
PY
    echo "raw results: $OUT_DIR/table" >&2
    exit 0
fi

echo "ScratchNet: $PRESET, $EPOCHS epochs, $THREADS threads..." >&2
$SCRATCHNET train "$PRESET" --plain --no-plots --epochs "$EPOCHS" --seed 1 --threads "$THREADS" --out "$OUT_DIR/scratchnet" "${DATA_ARGS[@]}" >&2

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
