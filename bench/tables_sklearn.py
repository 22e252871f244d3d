"""scikit-learn baselines for the house-prices and churn presets, on the same held-out rows as ScratchNet.

Usage:
  /usr/bin/python3 bench/tables_sklearn.py --data data/tables --splits DIR
  /usr/bin/python3 bench/tables_sklearn.py --data data/tables --cv runs/churn-cv/metrics.json [--log-features tenure,total_charges]

--splits DIR: DIR holds ames-SEED.txt and churn-SEED.txt, the comma-separated test row indices
ScratchNet's DatasetSplitter.SplitIndices(n, 0.2, SEED) gives (rows in file order). Without --splits
or --cv, a random fifth from numpy (seed 0). Prints one JSON line per split.

--cv FILE: the metrics.json of `scratchnet train PRESET --folds K` (house-prices or churn, or a
--dataset run on ames or churn); each fold's "test_rows" are held out in turn and the rest trained on.
Prints one JSON line per fold and one with the mean and sample standard deviation (ddof = 1, as ours).
--log-features a,b reads those numeric columns as log(1 + x) before anything else, as ScratchNet's
--log-features does (with --splits, churn's columns only).
"""
import argparse, json, os, sys
import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import r2_score, roc_auc_score
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler


def prepare(df, target, train_idx, logs=()):
    y = df[target]
    x = df.drop(columns=[target])
    for c in logs:
        x[c] = np.log1p(x[c])
    text = [c for c in x.columns if x[c].dtype == object]
    # Missing cells: the training rows' mean (numeric) or most frequent value (text), as ScratchNet does.
    for c in x.columns:
        fill = x[c].iloc[train_idx].mode()[0] if c in text else x[c].iloc[train_idx].mean()
        x[c] = x[c].fillna(fill)
    x = pd.get_dummies(x, columns=text, dtype=float)
    return x.to_numpy(dtype=float), y


def ames_scores(df, train, test, seed, logs=()):
    x, y = prepare(df, "Sale_Price", train, logs)
    y = y.to_numpy(dtype=float)
    sc = StandardScaler().fit(x[train])
    xt, xs = sc.transform(x[train]), sc.transform(x[test])
    ridge = Ridge().fit(xt, y[train])
    mlp = TransformedTargetRegressor(MLPRegressor((64, 64), max_iter=500, random_state=seed), transformer=StandardScaler()).fit(xt, y[train])
    return {"ridge_r2": r2_score(y[test], ridge.predict(xs)), "mlp64x64_r2": r2_score(y[test], mlp.predict(xs))}


def churn_scores(df, train, test, logs=()):
    x, y = prepare(df, "churn", train, logs)
    y = (y == "Yes").to_numpy(dtype=int)
    sc = StandardScaler().fit(x[train])
    lr = LogisticRegression(max_iter=2000).fit(sc.transform(x[train]), y[train])
    return {"logistic_roc_auc": roc_auc_score(y[test], lr.predict_proba(sc.transform(x[test]))[:, 1])}


def rounded(scores, digits=4):
    return {k: round(float(v), digits) for k, v in scores.items()}


def read(path):
    return pd.read_csv(path, keep_default_na=False, na_values=["NA", ""])


def cross_validate(a):
    metrics = json.load(open(a.cv))
    name = "ames" if metrics["dataset"] in ("ames", "house-prices") or metrics["dataset"].endswith("ames.csv") else "churn"
    df = read(os.path.join(a.data, "ames.csv" if name == "ames" else "wa_churn.csv"))
    logs = [c for c in a.log_features.split(",") if c] if a.log_features else []
    n = len(df)
    per_fold = []
    for fold in metrics["folds"]:
        test = np.array(fold["test_rows"], dtype=int)
        train = np.setdiff1d(np.arange(n), test)
        scores = ames_scores(df, train, test, metrics["cross_validation"]["seed"], logs) if name == "ames" else churn_scores(df, train, test, logs)
        per_fold.append(scores)
        print(json.dumps({"data": name, "fold": fold["fold"], **rounded(scores)}))
        sys.stdout.flush()
    summary = {k: {"mean": round(float(np.mean([s[k] for s in per_fold])), 5), "std": round(float(np.std([s[k] for s in per_fold], ddof=1)), 4)}
               for k in per_fold[0]}
    print(json.dumps({"data": name, "folds": len(per_fold), "log_features": logs, **summary}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/tables")
    p.add_argument("--splits")
    p.add_argument("--seeds", default="1,2,3,4,5")
    p.add_argument("--cv")
    p.add_argument("--log-features", default="")
    a = p.parse_args()
    if a.cv:
        cross_validate(a)
        return
    logs = [c for c in a.log_features.split(",") if c]  # churn's columns
    ames = read(os.path.join(a.data, "ames.csv"))
    churn = read(os.path.join(a.data, "wa_churn.csv"))
    seeds = [int(s) for s in a.seeds.split(",")] if a.splits else [0]
    for seed in seeds:
        for name, df in (("ames", ames), ("churn", churn)):
            n = len(df)
            if a.splits:
                test = np.array([int(i) for i in open(os.path.join(a.splits, f"{name}-{seed}.txt")).read().split(",")])
            else:
                test = np.random.default_rng(seed).permutation(n)[: n // 5]
            train = np.setdiff1d(np.arange(n), test)
            scores = ames_scores(df, train, test, seed) if name == "ames" else churn_scores(df, train, test, logs)
            print(json.dumps({"data": name, "split_seed": seed, **rounded(scores)}))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
