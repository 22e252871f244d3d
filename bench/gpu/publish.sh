#!/usr/bin/env bash
# Makes the self-contained, trimmed `scratchnet` for bench/gpu/run.sh (the GPU machine has no .NET SDK) and
# checks it here: its size with the MNIST files beside it (the GPU machine takes at most 64 MiB),
# `scratchnet train mnist-mlp --epochs 1` and `scratchnet evaluate` on the CPU, and lesson 17, whose
# kernels run on ILGPU's CPU accelerator, and two steps of `scratchnet train mnist-cnn --device cpu-accelerator`
# (the device engine's kernels) with `scratchnet evaluate` of that model (ILGPU reads kernels' IL by
# reflection: the check that trimming kept what it needs), and, where the Fashion-MNIST files are found,
# fashion-mlp-plus (batch norm, dropout) on 320 images on the CPU accelerator, then evaluated on the CPU.
#
#   bench/gpu/publish.sh              # publish into out/gpu/publish (git-ignored), then the checks
#   SMOKE=0 bench/gpu/publish.sh      # publish only
#
# Trimming: TrimMode=partial trims only the assemblies that declare themselves trimmable (the .NET
# framework's); ours, ILGPU, System.CommandLine, Spectre.Console and ImageSharp are kept whole, so
# ILGPU's reflection over its own and our kernels' code finds everything. The library's System.Text.Json
# uses reflection over our own types (kept whole), so reflection-based serialisation stays on. The
# trim analysis warnings those two bring are suppressed: the checks below are what shows it works.
# Environment: DEST (out/gpu/publish), SMOKE (1), LIMIT_MIB (64), FASHION_DATA (a folder holding fashion-mnist/,
# for the batch-norm check only: the files are not copied into the publish; default $ROOT/data).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DEST="${DEST:-$ROOT/out/gpu/publish}"
SMOKE="${SMOKE:-1}"
LIMIT_MIB="${LIMIT_MIB:-64}"
FASHION_DATA="${FASHION_DATA:-$ROOT/data}"

rm -rf "$DEST"
mkdir -p "$DEST"
echo "publishing scratchnet (linux-x64, self-contained, trimmed) into $DEST ..." >&2
dotnet publish "$ROOT/src/ScratchNet.Cli" -c Release -r linux-x64 --self-contained -nologo -v quiet \
  -p:PublishTrimmed=true -p:TrimMode=partial -p:EnableTrimAnalyzer=false -p:SuppressTrimAnalysisWarnings=true \
  -p:JsonSerializerIsReflectionEnabledByDefault=true -p:DebugType=none \
  -p:CustomAfterMicrosoftCommonTargets="$ROOT/bench/gpu/trim.targets" -o "$DEST" >&2
# Documentation files are for the IDE, not the program; the playground's web site (12 MiB, copied beside
# the program by the CLI's publish for `scratchnet playground`) is not part of the GPU check.
find "$DEST" -maxdepth 1 -name '*.xml' -delete
rm -rf "$DEST/playground"
mkdir -p "$DEST/data/mnist"
cp "$ROOT"/data/mnist/*.gz "$DEST/data/mnist/"

bytes="$(du -sb "$DEST" | cut -f1)"
mib="$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')"
data_mib="$(du -sb "$DEST/data" | awk '{ printf "%.1f", $1 / 1048576 }')"
echo "size: $mib MiB in all ($data_mib MiB of it MNIST), limit $LIMIT_MIB MiB" >&2
if [ "$bytes" -gt $((LIMIT_MIB * 1048576)) ]; then
  echo "publish.sh: $DEST is $mib MiB, more than the $LIMIT_MIB MiB the GPU machine takes" >&2
  exit 1
fi

if [ "$SMOKE" = "1" ]; then
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
  # From an empty folder, so that the data comes from beside the program, as on the GPU machine.
  cd "$WORK"
  echo "check: scratchnet train mnist-mlp --epochs 1 (CPU) ..." >&2
  "$DEST/ScratchNet.Cli" train mnist-mlp --epochs 1 --out "$WORK/run" --no-plots --plain --json >"$WORK/train.json" 2>"$WORK/train.log" \
    || { tail -20 "$WORK/train.log" >&2; echo "publish.sh: the trimmed scratchnet failed to train" >&2; exit 1; }
  echo "  $(cat "$WORK/train.json")" >&2
  echo "check: scratchnet evaluate --model (CPU) ..." >&2
  "$DEST/ScratchNet.Cli" evaluate --model "$WORK/run" --json >"$WORK/evaluate.json" 2>"$WORK/evaluate.log" \
    || { tail -20 "$WORK/evaluate.log" >&2; echo "publish.sh: the trimmed scratchnet failed to evaluate" >&2; exit 1; }
  grep -E '"(samples|loss|accuracy)"' "$WORK/evaluate.json" | sed 's/^ */  /' >&2
  echo "check: scratchnet lesson run 17 (ILGPU kernels on the CPU accelerator) ..." >&2
  "$DEST/ScratchNet.Cli" lesson run 17 --no-pictures >"$WORK/lesson17.txt" 2>&1 \
    || { tail -20 "$WORK/lesson17.txt" >&2; echo "publish.sh: the trimmed scratchnet failed lesson 17" >&2; exit 1; }
  sed 's/^/  /' "$WORK/lesson17.txt" >&2
  # The device engine's own kernels (convolution, pooling, shifts, the products, Adam) through ILGPU in the
  # trimmed program: two steps of mnist-cnn on the CPU accelerator, then the model evaluated on the CPU.
  echo "check: scratchnet train mnist-cnn --device cpu-accelerator (2 steps of 16) ..." >&2
  "$DEST/ScratchNet.Cli" train mnist-cnn --device cpu-accelerator --epochs 1 --limit-train 32 --limit-test 200 --batch-size 16 \
    --out "$WORK/cnn" --no-plots --plain --json >"$WORK/cnn.json" 2>"$WORK/cnn.log" \
    || { tail -20 "$WORK/cnn.log" >&2; echo "publish.sh: the trimmed scratchnet failed to train mnist-cnn on the CPU accelerator" >&2; exit 1; }
  echo "  $(cat "$WORK/cnn.json")" >&2
  "$DEST/ScratchNet.Cli" evaluate --model "$WORK/cnn" --limit 200 --json >"$WORK/cnn-evaluate.json" 2>"$WORK/cnn-evaluate.log" \
    || { tail -20 "$WORK/cnn-evaluate.log" >&2; echo "publish.sh: the trimmed scratchnet failed to evaluate the device-trained mnist-cnn" >&2; exit 1; }
  grep -E '"(samples|loss|accuracy)"' "$WORK/cnn-evaluate.json" | sed 's/^ */  /' >&2
  # Batch norm on the device (its running statistics come back into the model file): fashion-mlp-plus, 5 steps of 64.
  if [ -f "$FASHION_DATA/fashion-mnist/train-images-idx3-ubyte.gz" ]; then
    echo "check: scratchnet train fashion-mlp-plus --device cpu-accelerator (5 steps of 64) ..." >&2
    "$DEST/ScratchNet.Cli" train fashion-mlp-plus --device cpu-accelerator --epochs 1 --limit-train 320 --limit-test 500 --data-dir "$FASHION_DATA" \
      --out "$WORK/bn" --no-plots --plain --json >"$WORK/bn.json" 2>"$WORK/bn.log" \
      || { tail -20 "$WORK/bn.log" >&2; echo "publish.sh: the trimmed scratchnet failed to train fashion-mlp-plus on the CPU accelerator" >&2; exit 1; }
    echo "  $(cat "$WORK/bn.json")" >&2
    "$DEST/ScratchNet.Cli" evaluate --model "$WORK/bn" --data-dir "$FASHION_DATA" --limit 500 --json >"$WORK/bn-evaluate.json" 2>"$WORK/bn-evaluate.log" \
      || { tail -20 "$WORK/bn-evaluate.log" >&2; echo "publish.sh: the trimmed scratchnet failed to evaluate the device-trained fashion-mlp-plus" >&2; exit 1; }
    grep -E '"(samples|loss|accuracy)"' "$WORK/bn-evaluate.json" | sed 's/^ */  /' >&2
  else
    echo "check: fashion-mlp-plus on the CPU accelerator SKIPPED: no $FASHION_DATA/fashion-mnist/train-images-idx3-ubyte.gz (set FASHION_DATA)" >&2
  fi
fi
echo "$DEST ($mib MiB): carry out/gpu/publish to the GPU machine and run bench/gpu/run.sh there" >&2
