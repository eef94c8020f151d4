#!/usr/bin/env python3
"""Scores extract JSON files written by `feedstand bench-extract --out DIR` with the metric of
score.py (word 4-gram shingles, each page normalized). usage: score_extract.py GROUND_TRUTH OUT_DIR [-v]"""
import json, os, re, sys
from collections import Counter

WORD = re.compile(r"\w+", re.UNICODE)

def shingles(text, n=4):
    w = WORD.findall(text or "")
    return Counter(tuple(w[i:i + n]) for i in range(max(1, len(w) - n + 1)) if w[i:i + n])

def match(true, pred):
    t, p = shingles(true), shingles(pred)
    tp = sum(min(c, p[k]) for k, c in t.items())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s else (0, 0, 0)

def main():
    gt = json.load(open(sys.argv[1], encoding="utf-8"))
    out = sys.argv[2]
    verbose = "-v" in sys.argv
    TP = FP = FN = 0.0
    failed = 0
    for key, case in sorted(gt.items()):
        path = os.path.join(out, key + ".json")
        try:
            text = json.load(open(path, encoding="utf-8")).get("text") or ""
        except (OSError, ValueError):
            failed += 1
            text = ""
        tp, fp, fn = match(case["articleBody"], text)
        if verbose:
            print(f"{key[:12]} tp={tp:.2f} fp={fp:.2f} fn={fn:.2f} {case['url'][:70]}")
        TP += tp; FP += fp; FN += fn
    prec = TP / (TP + FP) if TP + FP else 0.0
    rec = TP / (TP + FN) if TP + FN else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"fulltext: pages={len(gt)} f1={f1:.3f} precision={prec:.3f} recall={rec:.3f} failed={failed}")

if __name__ == "__main__":
    main()
