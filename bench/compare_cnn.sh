#!/usr/bin/env bash
# ScratchNet vs PyTorch on the mnist-cnn preset (conv5x5 32, pool, conv5x5 64, pool, dense 128, dense 10;
# Adam 1e-3 with a cosine per step, batch 64, random shifts of up to SHIFT px), both at the same thread
# count. Alternates the two frameworks REPEATS times so that load from other processes hits both alike,
# and reports the fastest and the median epoch of each, wall and process CPU seconds, and their ratios
# (ScratchNet / PyTorch: the issue's goal is a median ratio of at most 0.7).
#
#   bench/compare_cnn.sh                         # 1 epoch each, 3 rounds, 2 threads, MNIST, shifts of 2 px
#   EPOCHS=5 REPEATS=1 bench/compare_cnn.sh      # accuracy after 5 epochs
#   EPOCHS=3 FROM=2 bench/compare_cnn.sh         # the steady epochs 2-3 of each run, without the first one's
#                                                # warm-up (the JIT compiling ScratchNet's kernels: ~0.4 s)
#   DATASET=fashion-mnist SHIFT=0 bench/compare_cnn.sh   # Fashion-MNIST (from /work/shared/data or SCRATCHNET_DATA)
#   LIMIT=6400 bench/compare_cnn.sh              # first 6,400 images only (a quick look)
#   THREADS=1 bench/compare_cnn.sh               # one thread each: compare the CPU seconds on a busy machine
#   TWIN_FLAGS="--allocator glibc --memory-format contiguous --shift-impl loop" bench/compare_cnn.sh
#                                                # the twin before issue 18 (see bench/pytorch_cnn.py --help)
#
# Environment: EPOCHS (1), FROM (1: the first epoch counted in the summary), REPEATS (3), THREADS (2),
# DATASET (mnist), LIMIT (0 = all), SHIFT (2, the preset's), TWIN_FLAGS (extra bench/pytorch_cnn.py flags), OMP_WAIT_POLICY (passed on when set),
# RESULTS (output folder, default out/bench, git-ignored). Writes RESULTS/cnn-<dataset>-<time>.jsonl (one
# line per run) and prints a JSON summary on the last line.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EPOCHS="${EPOCHS:-1}"; FROM="${FROM:-1}"; REPEATS="${REPEATS:-3}"; THREADS="${THREADS:-2}"
DATASET="${DATASET:-mnist}"; LIMIT="${LIMIT:-0}"; SHIFT="${SHIFT:-2}"; TWIN_FLAGS="${TWIN_FLAGS:-}"
RESULTS="${RESULTS:-$ROOT/out/bench}"
PYTHON="${PYTHON:-/usr/bin/python3}"

case "$DATASET" in
  mnist) DATA_ROOT="${SCRATCHNET_DATA:-$ROOT/data}" ;;
  fashion-mnist) DATA_ROOT="${SCRATCHNET_DATA:-/work/shared/data}"
    [ -d "$DATA_ROOT/fashion-mnist" ] || DATA_ROOT=/usr/share/datasets ;;
  *) echo "compare_cnn.sh: DATASET must be mnist or fashion-mnist (got '$DATASET')" >&2; exit 2 ;;
esac
case "$FROM" in ''|*[!0-9]*) echo "compare_cnn.sh: FROM must be an epoch number (got '$FROM')" >&2; exit 2 ;; esac
[ "$FROM" -ge 1 ] && [ "$FROM" -le "$EPOCHS" ] || { echo "compare_cnn.sh: FROM must be between 1 and EPOCHS=$EPOCHS (got $FROM)" >&2; exit 2; }
[ -f "$DATA_ROOT/$DATASET/train-images-idx3-ubyte.gz" ] || { echo "compare_cnn.sh: no $DATASET IDX files in $DATA_ROOT/$DATASET" >&2; exit 2; }
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp "$PYTHON" -c "import torch, numpy" 2>/dev/null \
  || { echo "compare_cnn.sh: $PYTHON cannot import torch and numpy (apt-get install python3-torch python3-numpy)" >&2; exit 2; }

mkdir -p "$RESULTS"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="$RESULTS/cnn-$DATASET-$STAMP.jsonl"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Build once, then run from a private copy so that a rebuild elsewhere cannot change the binaries mid-run.
echo "building ScratchNet (Release)..." >&2
dotnet build "$ROOT/bench/ScratchNet.Benchmarks" -c Release -v quiet -nologo >"$WORK/build.log" 2>&1 \
  || { tail -20 "$WORK/build.log" >&2; echo "compare_cnn.sh: build failed" >&2; exit 1; }
cp -r "$ROOT/bench/ScratchNet.Benchmarks/bin/Release/net10.0" "$WORK/bin"

run_scratchnet() {
  local json="$WORK/scratchnet.json"
  rm -f "$json"
  dotnet "$WORK/bin/ScratchNet.Benchmarks.dll" cnn-epochs --dataset "$DATASET" --data-dir "$DATA_ROOT" --epochs "$EPOCHS" \
    --threads "$THREADS" --limit "$LIMIT" --shift "$SHIFT" --out "$json" >"$WORK/scratchnet.log" 2>&1 \
    || { tail -30 "$WORK/scratchnet.log" >&2; echo "compare_cnn.sh: ScratchNet run failed" >&2; return 1; }
  cat "$json"
}

run_pytorch() {
  # shellcheck disable=SC2086  # TWIN_FLAGS is a list of flags
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS="$THREADS" "$PYTHON" "$ROOT/bench/pytorch_cnn.py" \
    --data "$DATA_ROOT/$DATASET" --epochs "$EPOCHS" --threads "$THREADS" --limit "$LIMIT" --shift "$SHIFT" $TWIN_FLAGS | tail -1
}

for round in $(seq 1 "$REPEATS"); do
  for fw in pytorch scratchnet; do
    load="$(cut -d' ' -f1 /proc/loadavg)"
    echo "round $round/$REPEATS: $fw (load average $load)..." >&2
    line="$(run_$fw)"
    echo "$line" | "$PYTHON" -c "import json,sys; r=json.loads(sys.stdin.read()); r['round']=$round; r['load_before']=$load; print(json.dumps(r))" >>"$OUT"
    tail -1 "$OUT" >&2
  done
done

"$PYTHON" - "$OUT" "$FROM" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
first = int(sys.argv[2]) - 1  # epochs before this one are left out of the figures below
summary = {"results": sys.argv[1], "epochs_counted_from": first + 1}
for fw in ("pytorch", "scratchnet"):
    rs = [r for r in runs if r["framework"] == fw]
    epochs = [s for r in rs for s in r["epoch_seconds"][first:]]
    cpu = [s for r in rs for s in r["epoch_cpu_seconds"][first:]]
    summary[fw] = {
        "runs": len(rs),
        "epoch_seconds": [r["epoch_seconds"] for r in rs],
        "epoch_seconds_min": min(epochs),
        "epoch_seconds_median": statistics.median(epochs),
        "epoch_cpu_seconds_median": statistics.median(cpu),
        "final_test_accuracy": [r["test_accuracy"][-1] for r in rs],
        "peak_rss_mb": max(r["peak_rss_mb"] for r in rs),
        "load_before": [r["load_before"] for r in rs],
    }
twin = next(r for r in runs if r["framework"] == "pytorch")
summary["twin_settings"] = {k: twin[k] for k in ("allocator", "memory_format", "mkldnn", "flush_denormal", "shift_impl", "schedule", "omp_wait_policy") if k in twin}
ours, theirs = summary["scratchnet"], summary["pytorch"]
summary["ratio_min"] = round(ours["epoch_seconds_min"] / theirs["epoch_seconds_min"], 3)
summary["ratio_median"] = round(ours["epoch_seconds_median"] / theirs["epoch_seconds_median"], 3)
summary["ratio_cpu_median"] = round(ours["epoch_cpu_seconds_median"] / theirs["epoch_cpu_seconds_median"], 3)
print(f"epoch seconds (min / median): ScratchNet {ours['epoch_seconds_min']} / {ours['epoch_seconds_median']}, "
      f"PyTorch {theirs['epoch_seconds_min']} / {theirs['epoch_seconds_median']}; "
      f"ratio {summary['ratio_min']} (min), {summary['ratio_median']} (median); "
      f"CPU seconds (median) {ours['epoch_cpu_seconds_median']} / {theirs['epoch_cpu_seconds_median']}, ratio {summary['ratio_cpu_median']}", file=sys.stderr)
print(json.dumps(summary))
PY
