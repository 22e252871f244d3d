#!/usr/bin/env bash
# The GPU check, everything in one run on the borrowed GPU machine (x86-64, NVIDIA driver, CUDA, PyTorch,
# no .NET SDK): run it from the repository root after bench/gpu/publish.sh made out/gpu/publish here and
# that folder was carried along (it holds the self-contained scratchnet and the MNIST files).
#
#   bench/gpu/run.sh                                   # results in $OUT (the device machine's), else out/gpu/results
#   MLP_EPOCHS=10 CNN_EPOCHS=5 bench/gpu/run.sh        # the presets' full runs (minutes more)
#
# In order, each step's output in $OUT/<step>.out and .err, its exit status and seconds in $OUT/steps.log:
#   1. nvidia-smi: the GPU, its driver and CUDA version;
#   2. lesson 17 (the hand-written kernels, on the CPU accelerator and on every CUDA GPU, checked against loops);
#   3. scratchnet train mnist-mlp --device cuda, then scratchnet evaluate of its model on the CPU;
#   4. the same for mnist-cnn (its convolutions, pooling and random shifts run on the device too), then for
#      mnist-mlp-plus (dropout drawn on the host, warm-up and cosine; no PyTorch twin, the time only; PLUS=0 skips it);
#   5. the PyTorch twins (bench/gpu/pytorch_gpu.py: same models, batch 64, Adam 1e-3 with the cosine) on the same GPU;
#   6. $OUT/summary.json and $OUT/summary.md: epoch times side by side with their ratio, and the accuracies:
#      of the GPU-trained models on the device and again on the CPU, and of the twins.
# A failing step is recorded and the next runs; the script exits 1 if any step failed.
# Environment: OUT, SCRATCHNET_DIR (out/gpu/publish), MLP_EPOCHS (3, mnist-mlp-plus's too), CNN_EPOCHS (2), PLUS (1), STEP_TIMEOUT (200 s per
# step), PYTHON (python3); for a dry run of the plumbing without a GPU: DEVICE (cuda; empty: scratchnet's default,
# the CPU; cpu-accelerator: the device engine on ILGPU's CPU accelerator, seconds a CNN step, so with a LIMIT
# of a few hundred), TWIN_DEVICE (cuda), LIMIT (0 = all; else the first N training and test samples).
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRATCHNET_DIR="${SCRATCHNET_DIR:-$ROOT/out/gpu/publish}"
SN="$SCRATCHNET_DIR/ScratchNet.Cli"   # the apphost keeps the assembly's name; `scratchnet` is the tool package's
DATA="$SCRATCHNET_DIR/data"
OUT="${OUT:-$ROOT/out/gpu/results}"
MLP_EPOCHS="${MLP_EPOCHS:-3}"
CNN_EPOCHS="${CNN_EPOCHS:-2}"
PLUS="${PLUS:-1}"
STEP_TIMEOUT="${STEP_TIMEOUT:-200}"
PYTHON="${PYTHON:-python3}"
DEVICE="${DEVICE-cuda}"
TWIN_DEVICE="${TWIN_DEVICE:-cuda}"
LIMIT="${LIMIT:-0}"
SN_LIMIT=(); [ "$LIMIT" -gt 0 ] && SN_LIMIT=(--limit-train "$LIMIT" --limit-test "$LIMIT")

mkdir -p "$OUT"
[ -x "$SN" ] || { echo "run.sh: no $SN: run bench/gpu/publish.sh on a machine with the .NET SDK and carry out/gpu/publish" >&2; exit 2; }
[ -f "$DATA/mnist/train-images-idx3-ubyte.gz" ] || { echo "run.sh: no MNIST files in $DATA/mnist" >&2; exit 2; }
FAILED=()

# step NAME COMMAND...: runs it with a time limit, its output in $OUT/NAME.out and .err.
step() {
  local name="$1"; shift
  echo "== $name: $*" >&2
  local start end rc
  start="$(date +%s.%N)"
  timeout "$STEP_TIMEOUT" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
  rc=$?
  end="$(date +%s.%N)"
  printf '%s\texit %d\t%s s\t%s\n' "$name" "$rc" "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')" "$*" >>"$OUT/steps.log"
  if [ "$rc" -ne 0 ]; then
    FAILED+=("$name (exit $rc$([ "$rc" -eq 124 ] && echo ", over ${STEP_TIMEOUT} s"))")
    tail -5 "$OUT/$name.err" >&2
  fi
  return "$rc"
}

: >"$OUT/steps.log"
step nvidia-smi nvidia-smi
step nvidia-smi-query nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm,power.limit --format=csv
cat "$OUT/nvidia-smi.out" >&2
step lesson17 "$SN" lesson run 17 --out "$OUT/lesson17"
cat "$OUT/lesson17.out" >&2

PRESETS=(mnist-mlp mnist-cnn); [ "$PLUS" = "1" ] && PRESETS+=(mnist-mlp-plus)
for preset in "${PRESETS[@]}"; do
  epochs="$MLP_EPOCHS"; [ "$preset" = mnist-cnn ] && epochs="$CNN_EPOCHS"
  run="$OUT/runs/$preset-cuda"
  if step "$preset-cuda" "$SN" train "$preset" ${DEVICE:+--device "$DEVICE"} --epochs "$epochs" --out "$run" --data-dir "$DATA" \
      --no-plots --plain --json "${SN_LIMIT[@]}"; then
    step "$preset-evaluate-cpu" "$SN" evaluate --model "$run" --data-dir "$DATA" --json $([ "$LIMIT" -gt 0 ] && echo --limit "$LIMIT")
  fi
done

step pytorch-mlp "$PYTHON" "$ROOT/bench/gpu/pytorch_gpu.py" --model mlp --epochs "$MLP_EPOCHS" --data "$DATA/mnist" --device "$TWIN_DEVICE" --limit "$LIMIT"
step pytorch-cnn "$PYTHON" "$ROOT/bench/gpu/pytorch_gpu.py" --model cnn --epochs "$CNN_EPOCHS" --data "$DATA/mnist" --device "$TWIN_DEVICE" --limit "$LIMIT"

"$PYTHON" - "$OUT" <<'PY' || FAILED+=("summary")
import json, os, sys
out = sys.argv[1]

def load(path):
    """The JSON object in a file: the whole text, else its last line (a step's output may end with it); None if there is none."""
    try:
        with open(os.path.join(out, path)) as f:
            text = f.read().strip()
    except OSError:
        return None
    for candidate in (text, text.splitlines()[-1] if text else ""):
        try:
            return json.loads(candidate)
        except ValueError:
            pass
    return None

def metrics(preset):
    return load(f"runs/{preset}-cuda/metrics.json")

query = os.path.join(out, "nvidia-smi-query.out")
gpu = open(query).read().strip() if os.path.exists(query) else "?"
summary = {"gpu": gpu, "models": {}}
lines = ["# GPU check", "", "GPU (nvidia-smi): " + gpu.replace("\n", "; "), "",
         "| model | ScratchNet epochs (s) | PyTorch epochs (s) | fastest epoch, ScratchNet / PyTorch | ScratchNet accuracy on the device | same model evaluated on the CPU | PyTorch accuracy |",
         "|---|---|---|---|---|---|---|"]
for preset, twin in (("mnist-mlp", "pytorch-mlp"), ("mnist-cnn", "pytorch-cnn"), ("mnist-mlp-plus", None)):
    if twin is None and not os.path.exists(os.path.join(out, f"{preset}-cuda.out")):
        continue  # not run (PLUS=0)
    m = metrics(preset)
    ev = load(f"{preset}-evaluate-cpu.out")
    pt = load(f"{twin}.out") if twin else None
    sn_epochs = m["epoch_seconds"] if m else None
    pt_epochs = pt["epoch_seconds"] if pt else None
    ratio = min(sn_epochs) / min(pt_epochs) if sn_epochs and pt_epochs else None
    device_acc = m["final_test_accuracy"] if m else None
    cpu_acc = ev["accuracy"] if ev else None
    entry = {"scratchnet_epoch_seconds": sn_epochs, "pytorch_epoch_seconds": pt_epochs, "fastest_epoch_ratio": ratio,
             "scratchnet_test_accuracy_on_device": device_acc, "scratchnet_test_accuracy_on_cpu": cpu_acc,
             "device_cpu_accuracy_difference": abs(device_acc - cpu_acc) if device_acc is not None and cpu_acc is not None else None,
             "pytorch_test_accuracy": pt["test_accuracy"][-1] if pt else None, "pytorch_device": pt.get("device_name") if pt else None,
             "pytorch_cudnn_allow_tf32": pt.get("cudnn_allow_tf32") if pt else None}
    summary["models"][preset] = entry
    fmt = lambda xs: ", ".join(f"{x:.2f}" for x in xs) if xs else "failed"
    pct = lambda a: f"{100 * a:.2f} %" if a is not None else "-"
    lines.append(f"| {preset} | {fmt(sn_epochs)} | {fmt(pt_epochs) if twin else '-'} | {f'{ratio:.2f}' if ratio else '-'} | {pct(device_acc)} | {pct(cpu_acc)} | {pct(entry['pytorch_test_accuracy'])} |")
with open(os.path.join(out, "steps.log")) as f:
    lines += ["", "Steps (name, exit status, seconds, command):", "", "```", f.read().rstrip(), "```"]
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump(summary, f, indent=2)
with open(os.path.join(out, "summary.md"), "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
PY

if [ "${#FAILED[@]}" -gt 0 ]; then
  echo "run.sh: failed steps: ${FAILED[*]} (see $OUT/steps.log and the .err files)" >&2
  exit 1
fi
echo "run.sh: all steps passed; results in $OUT" >&2
