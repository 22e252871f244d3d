#!/usr/bin/env python3
"""PyTorch twin of ScratchNet's mnist-vae preset (the classic PyTorch VAE example), for speed and loss comparison.

Same recipe: 784-400-(mu, logvar: 20 + 20), z = mu + exp(logvar/2) * eps, 20-400-784, ReLU, a sigmoid
output; loss = binary cross-entropy of the 784 pixels summed per image + KL(q(z|x) || N(0, I)) =
-1/2 sum(1 + logvar - mu^2 - exp(logvar)); Adam lr 1e-3, batch 128 with a new shuffle every epoch
(last partial batch kept), 10 epochs, pixels x/255 in [0, 1]. The classic example sums the loss over
the batch; here it is averaged over the batch's images (ScratchNet's convention: the same direction,
a step 128 times smaller, which Adam's normalised update does not see except through its epsilon).
The decoder's last layer gives logits read by binary_cross_entropy_with_logits, as ScratchNet's
BinaryCrossEntropyWithLogitsSum does (the same function as sigmoid then binary_cross_entropy).
PyTorch's default Linear init. Data is read from the IDX .gz files with numpy and kept as one float32
tensor (x/255 once, before timing).

The test loss per image is printed two ways: "test_loss_mean_z" with z = mu (what ScratchNet's
evaluation does) and "test_loss_sampled" with z drawn as in training (what the classic example prints).

With --eval-from FILE (a ScratchNet mnist-vae model.safetensors) the twin trains nothing: it loads
those weights (ScratchNet keeps Dense weights as (in, out), nn.Linear as (out, in)) and prints the
test loss per image both ways, so ScratchNet's own model is measured with z sampled as the classic
example measures it, and its z = mu figure is checked against `scratchnet evaluate`'s.

Prints one JSON object: per-epoch training seconds (evaluation excluded) and process CPU seconds, the
training and test losses per epoch, and the peak resident set size (resource.getrusage, bytes).

Run (Debian's torch needs the OpenMP OpenBLAS):
  OMP_NUM_THREADS=2 LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch_vae.py --threads 2
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_mlp import find_data_dir, read_idx  # noqa: E402  (one reader of the IDX files)


class VAE(nn.Module):
    def __init__(self, latent):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc2 = nn.Linear(400, 2 * latent)
        self.fc3 = nn.Linear(latent, 400)
        self.fc4 = nn.Linear(400, 784)
        self.latent = latent

    def forward(self, x, sample):
        h = self.fc2(F.relu(self.fc1(x)))
        mu, logvar = h[:, :self.latent], h[:, self.latent:]
        z = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu) if sample else mu
        return self.fc4(F.relu(self.fc3(z))), mu, logvar


def loss_per_image(logits, x, mu, logvar):
    bce = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return (bce + kl) / x.shape[0]


def test_loss(model, xte, sample):
    """The mean loss per test image, in batches of 500."""
    lsum = 0.0
    for start in range(0, xte.shape[0], 500):
        x = xte[start:start + 500]
        logits, mu, logvar = model(x, sample=sample)
        lsum += loss_per_image(logits, x, mu, logvar).item() * x.shape[0]
    return lsum / xte.shape[0]


def load_scratchnet(model, path):
    """ScratchNet's mnist-vae layers 0, 2, 4, 6 (Dense; ReLU and GaussianSample between) into fc1..fc4."""
    from safetensors_torch import read_safetensors
    tensors, _ = read_safetensors(path)
    expected = {f"layers.{i}.{p}" for i in (0, 2, 4, 6) for p in ("weight", "bias")}
    if set(tensors) != expected:
        raise SystemExit(f"{path}: tensors {sorted(tensors)}, not mnist-vae's {sorted(expected)}")
    with torch.no_grad():
        for i, fc in zip((0, 2, 4, 6), (model.fc1, model.fc2, model.fc3, model.fc4)):
            w, b = tensors[f"layers.{i}.weight"].float(), tensors[f"layers.{i}.bias"].float()
            if tuple(w.shape) != tuple(fc.weight.shape[::-1]):
                raise SystemExit(f"{path}: layers.{i}.weight is {tuple(w.shape)}, not {tuple(fc.weight.shape[::-1])}")
            fc.weight.copy_(w.t())
            fc.bias.copy_(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--latent", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--train-limit", type=int, default=None, help="use only the first N training images (smoke test)")
    ap.add_argument("--eval-from", default=None, help="a ScratchNet mnist-vae model.safetensors: evaluate its weights, train nothing")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    d = find_data_dir("mnist", args.data_dir)
    xtr = torch.from_numpy(read_idx(os.path.join(d, "train-images-idx3-ubyte.gz")).reshape(-1, 784).copy()).float().div_(255.0)
    if args.train_limit:
        xtr = xtr[:args.train_limit]
    xte = torch.from_numpy(read_idx(os.path.join(d, "t10k-images-idx3-ubyte.gz")).reshape(-1, 784).copy()).float().div_(255.0)

    model = VAE(args.latent)
    if args.eval_from:
        load_scratchnet(model, args.eval_from)
        args.epochs = 0
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(args.seed)
    n = xtr.shape[0]

    epoch_seconds, epoch_cpu, train_loss, test_mean_z, test_sampled = [], [], [], [], []
    for _ in range(max(args.epochs, 1)):
        if args.epochs == 0:
            model.eval()
            with torch.no_grad():
                test_mean_z.append(test_loss(model, xte, sample=False))
                test_sampled.append(test_loss(model, xte, sample=True))
            break
        model.train()
        t0 = time.perf_counter()
        c0 = time.process_time()
        perm = torch.randperm(n, generator=gen)
        total = torch.zeros(())
        for start in range(0, n, args.batch_size):
            x = xtr[perm[start:start + args.batch_size]]
            opt.zero_grad(set_to_none=True)
            logits, mu, logvar = model(x, sample=True)
            loss = loss_per_image(logits, x, mu, logvar)
            loss.backward()
            opt.step()
            total += loss.detach() * x.shape[0]
        epoch_seconds.append(time.perf_counter() - t0)
        epoch_cpu.append(time.process_time() - c0)
        train_loss.append(total.item() / n)
        model.eval()
        with torch.no_grad():
            test_mean_z.append(test_loss(model, xte, sample=False))
            test_sampled.append(test_loss(model, xte, sample=True))

    print(json.dumps({
        "framework": "pytorch", "torch": torch.__version__, "dataset": "mnist",
        "model": f"784-400-{args.latent}-400-784 ReLU VAE", "optimizer": "Adam 1e-3", "batch_size": args.batch_size,
        "epochs": args.epochs, "seed": args.seed, "threads": args.threads,
        "epoch_seconds": epoch_seconds, "epoch_cpu_seconds": epoch_cpu, "train_loss": train_loss,
        "test_loss_mean_z": test_mean_z, "test_loss_sampled": test_sampled,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
