#!/usr/bin/env bash
# ScratchNet's mnist-vae preset against its PyTorch twin (bench/pytorch_vae.py), one after the other:
# seconds and CPU seconds per epoch (training only), the test loss per image, peak memory.
#
#   bench/compare_vae.sh [THREADS] [EPOCHS]     default: 2 threads, 10 epochs
#
# Raw results stay in $OUT_DIR (default: a new temp folder): scratchnet/metrics.json, pytorch.json,
# and the two processes' /usr/bin/time -v reports. Run it on a quiet machine: other load skews both
# sides. OMP_WAIT_POLICY=PASSIVE keeps PyTorch's OpenMP threads from spinning while descheduled.
# Environment: SCRATCHNET (the CLI to run; default the Release build), PYTHON (default /usr/bin/python3), OUT_DIR.
set -euo pipefail

cd "$(dirname "$0")/.."
THREADS="${1:-2}"
EPOCHS="${2:-10}"
PYTHON="${PYTHON:-/usr/bin/python3}"
OUT_DIR="${OUT_DIR:-$(mktemp -d -t vae-compare.XXXXXX)}"
mkdir -p "$OUT_DIR"
if [ -z "${SCRATCHNET:-}" ]; then
    dotnet build src/ScratchNet.Cli -c Release -v quiet -nologo >&2
    SCRATCHNET="src/ScratchNet.Cli/bin/Release/net10.0/ScratchNet.Cli"
fi

OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
    /usr/bin/time -v -o "$OUT_DIR/pytorch.time" "$PYTHON" bench/pytorch_vae.py --threads "$THREADS" --epochs "$EPOCHS" > "$OUT_DIR/pytorch.json"
rm -rf "$OUT_DIR/scratchnet"
/usr/bin/time -v -o "$OUT_DIR/scratchnet.time" $SCRATCHNET train mnist-vae --threads "$THREADS" --epochs "$EPOCHS" --out "$OUT_DIR/scratchnet" --plain --no-plots > "$OUT_DIR/scratchnet.log"
# ScratchNet's trained weights in the twin's module: its test loss with z sampled, as the classic example reports it.
OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS="$THREADS" LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
    "$PYTHON" bench/pytorch_vae.py --threads "$THREADS" --eval-from "$OUT_DIR/scratchnet/model.safetensors" > "$OUT_DIR/scratchnet-in-pytorch.json"

"$PYTHON" - "$OUT_DIR" <<'PY'
import json, statistics, sys
d = sys.argv[1]
p = json.load(open(f"{d}/pytorch.json"))
s = json.load(open(f"{d}/scratchnet/metrics.json"))
e = json.load(open(f"{d}/scratchnet-in-pytorch.json"))
ps, ss = statistics.median(p["epoch_seconds"]), statistics.median(s["epoch_seconds"])
pc, sc = statistics.median(p["epoch_cpu_seconds"]), statistics.median(s["epoch_cpu_seconds"])
print(f"median epoch: ScratchNet {ss:.2f} s ({sc:.2f} s CPU), PyTorch {ps:.2f} s ({pc:.2f} s CPU), ratio {ss / ps:.2f} ({sc / pc:.2f} in CPU)")
print(f"test loss per image after {len(s['test_loss'])} epochs: ScratchNet {s['test_loss'][-1]:.2f} (z = mu; {e['test_loss_mean_z'][0]:.2f} "
      f"in the twin's module), {e['test_loss_sampled'][0]:.2f} (z sampled, in the twin's module); "
      f"PyTorch {p['test_loss_mean_z'][-1]:.2f} (z = mu), {p['test_loss_sampled'][-1]:.2f} (z sampled)")
print(f"peak memory: ScratchNet {s['peak_working_set_bytes'] / 2**20:.0f} MiB working set, PyTorch {p['peak_rss_bytes'] / 2**20:.0f} MiB RSS")
PY
