#!/usr/bin/env python3
"""Load ScratchNet's transformer (a model.safetensors of shakespeare-gpt, names-transformer or a text run)
into bench/pytorch_gpt.py's Gpt module, and compare its logits with ScratchNet's.

The file is parsed by hand (bench/safetensors_torch.py). Its __metadata__["architecture"] must be
Embedding, PositionalEmbedding, TransformerBlock x L, LayerNorm, Dense without bias (our
LanguageModelRecipe's transformer). Our names map to the twin's as:
  layers.0.weight                  -> tok.weight                (V, C)
  layers.1.weight                  -> pos.weight                (T_max, C)
  layers.{2+i}.ln1.gamma / beta    -> blocks[i].ln1.weight / bias
  layers.{2+i}.attn.qkv.weight     -> blocks[i].attn.qkv.weight (transposed: ours is (C, 3C) for y = x W + b, [Q K V] side by side, heads in order)
  layers.{2+i}.attn.proj.*         -> blocks[i].attn.proj.*     (weight transposed)
  layers.{2+i}.ln2.gamma / beta    -> blocks[i].ln2.weight / bias
  layers.{2+i}.mlp.fc.*            -> blocks[i].fc.*            (weight transposed)
  layers.{2+i}.mlp.proj.*          -> blocks[i].out.*           (weight transposed)
  layers.{2+L}.gamma / beta        -> ln.weight / bias
  layers.{3+L}.weight              -> head.weight               (transposed; the twin is built without a head bias)

Compare mode (run with Debian's torch):
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/gpt_from_safetensors.py \\
      --model model.safetensors --ids ids.npy --logits logits.npy [--tolerance 1e-4]
ids.npy holds token ids (N, T) (float32 or integers), logits.npy ScratchNet's float32 logits (N, T, V) for them.
Prints one JSON object and exits 1 when the largest absolute difference exceeds the tolerance.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_gpt import Gpt  # noqa: E402
from safetensors_torch import read_safetensors  # noqa: E402


def _layer_names(arch):
    return [spec["type"] for spec in arch["layers"]]


def load_gpt(path):
    """Returns (Gpt in eval mode, sizes dict, metadata) for one of our transformer files."""
    tensors, metadata = read_safetensors(path)
    arch = json.loads(metadata["architecture"])
    kinds = _layer_names(arch)
    blocks = len(kinds) - 4
    expected = ["Embedding", "PositionalEmbedding"] + ["TransformerBlock"] * blocks + ["LayerNorm", "Dense"]
    if blocks < 1 or kinds != expected:
        raise ValueError(f"{path}: layers {kinds} are not our transformer (Embedding, PositionalEmbedding, TransformerBlock x L, LayerNorm, Dense)")
    settings = [spec.get("settings", {}) for spec in arch["layers"]]
    heads = {int(settings[2 + i]["heads"]) for i in range(blocks)}
    if len(heads) != 1:
        raise ValueError(f"{path}: the blocks have different head counts {sorted(heads)}")
    if settings[-1].get("useBias", "true") != "false":
        raise ValueError(f"{path}: the head has a bias; our transformer's has none")
    if float(settings[-2].get("epsilon", "1e-5")) != 1e-5:
        raise ValueError(f"{path}: the final LayerNorm's epsilon is not PyTorch's 1e-5")
    tok, pos = tensors["layers.0.weight"], tensors["layers.1.weight"]
    vocab, c = tok.shape
    context = pos.shape[0]
    model = Gpt(vocab, context, blocks, heads.pop(), c, tie=False, head_bias=False)
    sizes = {"vocabulary": vocab, "context": context, "blocks": blocks, "heads": model.blocks[0].attn.heads, "embedding": c}

    def put(target, name, transpose=False):
        value = tensors[name].float()
        value = value.t() if transpose else value
        if tuple(target.shape) != tuple(value.shape):
            raise ValueError(f"{path}: {name} has shape {tuple(tensors[name].shape)}, the twin needs {tuple(target.shape)}{' transposed' if transpose else ''}")
        target.copy_(value)

    used = set()
    with torch.no_grad():
        mapping = [(model.tok.weight, "layers.0.weight", False), (model.pos.weight, "layers.1.weight", False)]
        for i, b in enumerate(model.blocks):
            p = f"layers.{2 + i}."
            mapping += [
                (b.ln1.weight, p + "ln1.gamma", False), (b.ln1.bias, p + "ln1.beta", False),
                (b.attn.qkv.weight, p + "attn.qkv.weight", True), (b.attn.qkv.bias, p + "attn.qkv.bias", False),
                (b.attn.proj.weight, p + "attn.proj.weight", True), (b.attn.proj.bias, p + "attn.proj.bias", False),
                (b.ln2.weight, p + "ln2.gamma", False), (b.ln2.bias, p + "ln2.beta", False),
                (b.fc.weight, p + "mlp.fc.weight", True), (b.fc.bias, p + "mlp.fc.bias", False),
                (b.out.weight, p + "mlp.proj.weight", True), (b.out.bias, p + "mlp.proj.bias", False),
            ]
        last = f"layers.{2 + blocks}."
        mapping += [(model.ln.weight, last + "gamma", False), (model.ln.bias, last + "beta", False),
                    (model.head.weight, f"layers.{3 + blocks}.weight", True)]
        for target, name, transpose in mapping:
            put(target, name, transpose)
            used.add(name)
    unused = sorted(set(tensors) - used)
    if unused:
        raise ValueError(f"{path}: tensors the twin has no place for: {unused}")
    return model.eval(), sizes, metadata


def main():
    ap = argparse.ArgumentParser(description="Load our transformer into the PyTorch twin and compare logits.")
    ap.add_argument("--model", required=True, help="our model.safetensors")
    ap.add_argument("--ids", required=True, help=".npy of token ids (N, T)")
    ap.add_argument("--logits", required=True, help=".npy of ScratchNet's float32 logits (N, T, V) for those ids")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    model, sizes, _ = load_gpt(args.model)
    ids = np.load(args.ids)
    ours = np.load(args.logits)
    if ids.ndim != 2 or ours.shape != (ids.shape[0], ids.shape[1], sizes["vocabulary"]):
        raise ValueError(f"ids {ids.shape} and logits {ours.shape} do not match (N, T) and (N, T, {sizes['vocabulary']})")
    x = torch.from_numpy(np.rint(ids).astype(np.int64) if ids.dtype.kind == "f" else ids.astype(np.int64))
    with torch.no_grad():
        theirs = model(x).numpy()
    diff = float(np.max(np.abs(theirs - ours)))
    print(json.dumps({**sizes, "sequences": int(ids.shape[0]), "steps": int(ids.shape[1]),
                      "max_abs_diff": diff, "max_abs_logit": float(np.max(np.abs(ours))),
                      "argmax_agreement": float(np.mean(theirs.argmax(-1) == ours.argmax(-1))),
                      "torch": torch.__version__, "tolerance": args.tolerance}))
    return 0 if diff <= args.tolerance else 1


if __name__ == "__main__":
    sys.exit(main())
