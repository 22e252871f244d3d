#!/usr/bin/env bash
# Inference at batch BATCH: `scratchnet bench predict` against bench/pytorch_infer.py for mnist-mlp and
# mnist-cnn, the two frameworks alternated REPEATS times per model so that load from other processes
# hits both alike. Both time forward passes over the 10,000 MNIST test images held as float32 (median
# of 5 passes after a warm-up); the ScratchNet models are trained for a few steps only (speed does not
# depend on the weights), the PyTorch ones keep their initial weights. Reports the median images per
# second and per process CPU second of each, and their ratios (ScratchNet / PyTorch: the issue's goal
# is at least 1.1 at batch 1000).
#
#   bench/compare_infer.sh                       # 3 rounds, 2 threads, batch 1000, mlp and cnn
#   THREADS=1 bench/compare_infer.sh             # one thread each: compare per CPU second on a busy machine
#   TWIN_FLAGS="--jit none --grad-mode no-grad --allocator glibc --memory-format contiguous" bench/compare_infer.sh
#                                                # the twin before issue 18 (see bench/pytorch_infer.py --help)
#
# Environment: REPEATS (3), THREADS (2), BATCH (1000), MODELS (mlp,cnn), TWIN_FLAGS (extra
# bench/pytorch_infer.py flags), OMP_WAIT_POLICY (passed on when set), RESULTS (output folder, default
# out/bench, git-ignored). Writes RESULTS/infer-<time>.jsonl (one line per run) and prints a JSON
# summary on the last line.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPEATS="${REPEATS:-3}"; THREADS="${THREADS:-2}"; BATCH="${BATCH:-1000}"; MODELS="${MODELS:-mlp,cnn}"
TWIN_FLAGS="${TWIN_FLAGS:-}"
RESULTS="${RESULTS:-$ROOT/out/bench}"
PYTHON="${PYTHON:-/usr/bin/python3}"
DATA_ROOT="${SCRATCHNET_DATA:-$ROOT/data}"
[ -f "$DATA_ROOT/mnist/t10k-images-idx3-ubyte.gz" ] || { echo "compare_infer.sh: no MNIST IDX files in $DATA_ROOT/mnist" >&2; exit 2; }
for m in ${MODELS//,/ }; do
  case "$m" in mlp|cnn) ;; *) echo "compare_infer.sh: MODELS must list mlp and/or cnn (got '$m')" >&2; exit 2 ;; esac
done
LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp "$PYTHON" -c "import torch, numpy" 2>/dev/null \
  || { echo "compare_infer.sh: $PYTHON cannot import torch and numpy (apt-get install python3-torch python3-numpy)" >&2; exit 2; }

mkdir -p "$RESULTS"
OUT="$RESULTS/infer-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Build once, then run from a private copy so that a rebuild elsewhere cannot change the binaries mid-run.
echo "building the CLI (Release)..." >&2
dotnet build "$ROOT/src/ScratchNet.Cli" -c Release -v quiet -nologo >"$WORK/build.log" 2>&1 \
  || { tail -20 "$WORK/build.log" >&2; echo "compare_infer.sh: build failed" >&2; exit 1; }
cp -r "$ROOT/src/ScratchNet.Cli/bin/Release/net10.0" "$WORK/bin"
scratchnet() { dotnet "$WORK/bin/ScratchNet.Cli.dll" "$@"; }

for m in ${MODELS//,/ }; do
  echo "a mnist-$m model to time (a few steps of training)..." >&2
  scratchnet train "mnist-$m" --epochs 1 --limit-train 256 --limit-test 100 --threads "$THREADS" --plain --no-plots \
    --data-dir "$DATA_ROOT" --out "$WORK/mnist-$m" >"$WORK/train-$m.log" 2>&1 \
    || { tail -20 "$WORK/train-$m.log" >&2; echo "compare_infer.sh: training mnist-$m failed" >&2; exit 1; }
done

run_scratchnet() {
  scratchnet bench predict --model "$WORK/mnist-$1" --batch-size "$BATCH" --threads "$THREADS" --data-dir "$DATA_ROOT" --json \
    | "$PYTHON" -c "import json,sys; r=json.load(sys.stdin); r.update(framework='scratchnet', model='$1'); print(json.dumps(r))"
}

run_pytorch() {
  # shellcheck disable=SC2086  # TWIN_FLAGS is a list of flags
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp OMP_NUM_THREADS="$THREADS" "$PYTHON" "$ROOT/bench/pytorch_infer.py" \
    --models "$1" --batch-size "$BATCH" --threads "$THREADS" --data-dir "$DATA_ROOT" $TWIN_FLAGS | tail -1
}

for round in $(seq 1 "$REPEATS"); do
  for m in ${MODELS//,/ }; do
    for fw in pytorch scratchnet; do
      load="$(cut -d' ' -f1 /proc/loadavg)"
      echo "round $round/$REPEATS: mnist-$m, $fw (load average $load)..." >&2
      line="$(run_$fw "$m")"
      echo "$line" | "$PYTHON" -c "import json,sys; r=json.loads(sys.stdin.read()); r['round']=$round; r['load_before']=$load; print(json.dumps(r))" >>"$OUT"
      tail -1 "$OUT" >&2
    done
  done
done

"$PYTHON" - "$OUT" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
summary = {"results": sys.argv[1]}
for model in dict.fromkeys(r["model"] for r in runs):
    entry = {}
    for fw in ("pytorch", "scratchnet"):
        rs = [r for r in runs if r["framework"] == fw and r["model"] == model]
        entry[fw] = {"samples_per_second": [round(r["samples_per_second"]) for r in rs],
                     "samples_per_second_median": round(statistics.median(r["samples_per_second"] for r in rs)),
                     "samples_per_cpu_second_median": round(statistics.median(r["samples_per_cpu_second"] or 0 for r in rs)),
                     "load_before": [r["load_before"] for r in rs]}
    entry["ratio_median"] = round(entry["scratchnet"]["samples_per_second_median"] / entry["pytorch"]["samples_per_second_median"], 3)
    entry["ratio_cpu_median"] = round(entry["scratchnet"]["samples_per_cpu_second_median"] / entry["pytorch"]["samples_per_cpu_second_median"], 3)
    summary["mnist-" + model] = entry
    print(f"mnist-{model}: images/s (median) ScratchNet {entry['scratchnet']['samples_per_second_median']:,}, "
          f"PyTorch {entry['pytorch']['samples_per_second_median']:,}, ratio {entry['ratio_median']}; "
          f"per CPU second {entry['scratchnet']['samples_per_cpu_second_median']:,} / {entry['pytorch']['samples_per_cpu_second_median']:,}, "
          f"ratio {entry['ratio_cpu_median']}", file=sys.stderr)
twin = next(r for r in runs if r["framework"] == "pytorch")
summary["twin_settings"] = {k: twin[k] for k in ("jit", "grad_mode", "allocator", "memory_format", "mkldnn", "flush_denormal", "omp_wait_policy") if k in twin}
print(json.dumps(summary))
PY
