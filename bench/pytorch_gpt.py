#!/usr/bin/env python3
"""PyTorch twin of ScratchNet's shakespeare-gpt preset: a character-level GPT on tiny Shakespeare.

The model and loop of nanoGPT's CPU configuration (config/train_shakespeare_char.py with
--block_size=64 --batch_size=12 --n_layer=4 --n_head=4 --n_embd=128 --max_iters=2000
--lr_decay_iters=2000 --dropout=0.0), written out here in plain PyTorch so that it is the same
model as ours, term for term:
- token and learned position embeddings (C = 128), 4 pre-norm blocks x + Attn(LN(x)),
  x + MLP(LN(x)) with 4 heads of causal self-attention and a 4C GELU (exact, erf) MLP, a final
  LayerNorm and a linear head to the 65 characters; Linear layers and LayerNorms with biases, no
  weight tying (--tie-weights ties them as nanoGPT does);
- weights N(0, 0.02), the attention and MLP output projections N(0, 0.02/sqrt(2 n_layer)), biases 0;
- AdamW, betas (0.9, 0.99), eps 1e-8, weight decay 0.1 on the Linear weight matrices only (not on
  biases, LayerNorms or embeddings); learning rate 1e-3 with 100 linear warm-up iterations, then a
  cosine to 1e-4 at iteration 2,000; gradients clipped to global norm 1;
- batches of 12 blocks of 64 characters at random offsets of the first 90 % of the text; the
  validation loss is the mean cross-entropy over the whole last 10 %: blocks at 0, T, 2T, ... and a
  last block ending at the text's end whose already-predicted targets are ignored, so each character
  after the first is predicted exactly once.

Prints one JSON object: seconds per iteration (median, and the total training wall and CPU time),
the validation loss at the end (and every --eval-interval iterations when > 0), samples, and the
peak resident set size.

Run with Debian's torch and the OpenMP OpenBLAS, 2 threads, as the other twins:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch_gpt.py --threads 2
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def find_text(path):
    here = os.path.dirname(os.path.abspath(__file__))
    for c in [path, os.path.join(here, "..", "data", "text", "tinyshakespeare.txt"), "/work/shared/data/text/tinyshakespeare.txt"]:
        if c and os.path.exists(c):
            return c
    sys.exit("error: cannot find tinyshakespeare.txt; give --text")


class SelfAttention(nn.Module):
    def __init__(self, c, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(c, 3 * c)
        self.proj = nn.Linear(c, c)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        att = att.masked_fill(~mask, float("-inf")).softmax(dim=-1)
        return self.proj((att @ v).transpose(1, 2).reshape(b, t, c))


class Block(nn.Module):
    def __init__(self, c, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(c)
        self.attn = SelfAttention(c, heads)
        self.ln2 = nn.LayerNorm(c)
        self.fc = nn.Linear(c, 4 * c)
        self.out = nn.Linear(4 * c, c)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class Gpt(nn.Module):
    def __init__(self, vocab, context, layers, heads, c, tie, head_bias=True):
        super().__init__()
        self.tok = nn.Embedding(vocab, c)
        self.pos = nn.Embedding(context, c)
        self.blocks = nn.ModuleList([Block(c, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(c)
        self.head = nn.Linear(c, vocab, bias=head_bias)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, 0.0, 0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        for b in self.blocks:
            nn.init.normal_(b.attn.proj.weight, 0.0, 0.02 / math.sqrt(2 * layers))
            nn.init.normal_(b.out.weight, 0.0, 0.02 / math.sqrt(2 * layers))
        if tie:
            self.head.weight = self.tok.weight

    def forward(self, idx):
        t = idx.shape[1]
        x = self.tok(idx) + self.pos(torch.arange(t))
        for b in self.blocks:
            x = b(x)
        return self.head(self.ln(x))


def covering_blocks(data, t):
    """Blocks predicting every target of data[1:] exactly once (targets already predicted: -1)."""
    targets = len(data) - 1
    xs, ys = [], []
    for o in range(0, targets - t + 1, t):
        xs.append(data[o:o + t]); ys.append(data[o + 1:o + t + 1])
    if targets % t:
        last = targets - t
        y = data[last + 1:last + t + 1].clone()
        y[: (targets // t) * t - last] = -1
        xs.append(data[last:last + t]); ys.append(y)
    return torch.stack(xs), torch.stack(ys)


@torch.no_grad()
def validation_loss(model, vx, vy, batch=64):
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(vx), batch):
        logits = model(vx[i:i + batch])
        y = vy[i:i + batch]
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), ignore_index=-1, reduction="sum").item()
        count += int((y >= 0).sum())
    model.train()
    return total / count


def learning_rate(it, base, low, warmup, decay_iters):
    if it < warmup:
        return base * (it + 1) / warmup
    if it > decay_iters:
        return low
    ratio = (it - warmup) / (decay_iters - warmup)
    return low + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (base - low)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--text", default=None)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iterations", type=int, default=2000)
    ap.add_argument("--batch-size", type=int, default=12)
    ap.add_argument("--context", type=int, default=64)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--embedding", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--weight-decay", type=float, default=0.1)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--eval-interval", type=int, default=0, help="also report the validation loss every N iterations (0: only at the end)")
    ap.add_argument("--tie-weights", action="store_true")
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--init-from", default=None, help="start from the weights of one of our untrained (or trained) transformer files "
                    "instead of N(0, 0.02): the same start as our run (bench/gpt_from_safetensors.py maps the names)")
    ap.add_argument("--samples", type=int, default=300, help="characters to sample at the end")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if args.iterations < 0:
        sys.exit("error: --iterations must be >= 0")

    text = open(find_text(args.text), encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    train, val = data[:n], data[n:]
    vx, vy = covering_blocks(val, args.context)

    if args.init_from:
        from gpt_from_safetensors import load_gpt
        model, sizes, metadata = load_gpt(args.init_from)
        wanted = {"vocabulary": len(chars), "context": args.context, "blocks": args.layers, "heads": args.heads, "embedding": args.embedding}
        if sizes != wanted:
            sys.exit(f"error: {args.init_from} holds a transformer of {sizes}, this run needs {wanted}")
        vocabulary = json.loads(metadata.get("vocabulary", "{}"))
        if vocabulary and (vocabulary.get("boundary") or vocabulary.get("characters") != chars):
            sys.exit(f"error: {args.init_from}'s vocabulary is not this text's")
        if args.tie_weights:
            sys.exit("error: --init-from loads an untied head; leave out --tie-weights")
        model.train()
    else:
        model = Gpt(len(chars), args.context, args.layers, args.heads, args.embedding, args.tie_weights)
    decay = [p for name, p in model.named_parameters() if p.dim() >= 2 and not name.startswith(("tok.", "pos."))]
    rest = [p for name, p in model.named_parameters() if not (p.dim() >= 2 and not name.startswith(("tok.", "pos.")))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": rest, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.99), eps=1e-8)
    t, b = args.context, args.batch_size
    offsets = torch.arange(t)
    step_seconds, evals = [], []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for it in range(args.iterations):
        start = time.perf_counter()
        for g in opt.param_groups:
            g["lr"] = learning_rate(it, args.lr, args.min_lr, args.warmup, args.iterations)
        ix = torch.randint(len(train) - t, (b,))
        x = train[ix[:, None] + offsets]
        y = train[ix[:, None] + offsets + 1]
        logits = model(x)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
        opt.step()
        step_seconds.append(time.perf_counter() - start)
        if args.eval_interval and (it + 1) % args.eval_interval == 0 and it + 1 < args.iterations:
            evals.append({"iteration": it + 1, "validation_loss": validation_loss(model, vx, vy)})
    train_wall, train_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    final = validation_loss(model, vx, vy)
    evals.append({"iteration": args.iterations, "validation_loss": final})

    model.eval()
    idx = torch.tensor([[stoi["\n"]]])
    with torch.no_grad():
        for _ in range(args.samples):
            logits = model(idx[:, -t:])[:, -1, :]
            idx = torch.cat([idx, torch.multinomial(logits.softmax(-1), 1)], dim=1)
    sample = "".join(chars[i] for i in idx[0].tolist())
    step_seconds.sort()
    print(json.dumps({
        "twin": "pytorch", "torch": torch.__version__, "threads": args.threads,
        "parameters": sum(p.numel() for p in model.parameters()),
        "iterations": args.iterations, "train_wall_seconds": train_wall, "train_cpu_seconds": train_cpu,
        "median_iteration_seconds": step_seconds[len(step_seconds) // 2] if step_seconds else 0.0,
        "validation": evals, "final_validation_loss": final,
        "sample": sample,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
