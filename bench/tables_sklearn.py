"""scikit-learn baselines for the house-prices and churn presets, on the same held-out fifth.

Usage: /usr/bin/python3 bench/tables_sklearn.py --data data/tables --splits DIR
DIR holds ames-SEED.txt and churn-SEED.txt: the comma-separated test row indices ScratchNet's
DatasetSplitter.SplitIndices(n, 0.2, SEED) gives (rows in file order). Without --splits, a random
fifth from numpy (seed 0). Prints one JSON line per split.
"""
import argparse, json, os, sys
import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import r2_score, roc_auc_score
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler


def prepare(df, target, train_idx):
    y = df[target]
    x = df.drop(columns=[target])
    text = [c for c in x.columns if x[c].dtype == object]
    # Missing cells: the training rows' mean (numeric) or most frequent value (text), as ScratchNet does.
    for c in x.columns:
        fill = x[c].iloc[train_idx].mode()[0] if c in text else x[c].iloc[train_idx].mean()
        x[c] = x[c].fillna(fill)
    x = pd.get_dummies(x, columns=text, dtype=float)
    return x.to_numpy(dtype=float), y


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="data/tables")
    p.add_argument("--splits")
    p.add_argument("--seeds", default="1,2,3,4,5")
    a = p.parse_args()
    ames = pd.read_csv(os.path.join(a.data, "ames.csv"), keep_default_na=False, na_values=["NA", ""])
    churn = pd.read_csv(os.path.join(a.data, "wa_churn.csv"), keep_default_na=False, na_values=["NA", ""])
    seeds = [int(s) for s in a.seeds.split(",")] if a.splits else [0]
    for seed in seeds:
        for name, df in (("ames", ames), ("churn", churn)):
            n = len(df)
            if a.splits:
                test = np.array([int(i) for i in open(os.path.join(a.splits, f"{name}-{seed}.txt")).read().split(",")])
            else:
                test = np.random.default_rng(seed).permutation(n)[: n // 5]
            train = np.setdiff1d(np.arange(n), test)
            if name == "ames":
                x, y = prepare(df, "Sale_Price", train)
                y = y.to_numpy(dtype=float)
                sc = StandardScaler().fit(x[train])
                xt, xs = sc.transform(x[train]), sc.transform(x[test])
                ridge = Ridge().fit(xt, y[train])
                mlp = TransformedTargetRegressor(MLPRegressor((64, 64), max_iter=500, random_state=seed), transformer=StandardScaler()).fit(xt, y[train])
                print(json.dumps({"data": name, "split_seed": seed, "ridge_r2": round(r2_score(y[test], ridge.predict(xs)), 4),
                                  "mlp64x64_r2": round(r2_score(y[test], mlp.predict(xs)), 4)}))
            else:
                x, y = prepare(df, "churn", train)
                y = (y == "Yes").to_numpy(dtype=int)
                sc = StandardScaler().fit(x[train])
                lr = LogisticRegression(max_iter=2000).fit(sc.transform(x[train]), y[train])
                auc = roc_auc_score(y[test], lr.predict_proba(sc.transform(x[test]))[:, 1])
                print(json.dumps({"data": name, "split_seed": seed, "logistic_roc_auc": round(auc, 4)}))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
