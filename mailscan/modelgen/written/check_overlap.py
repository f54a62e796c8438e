#!/usr/bin/env python3
"""Checks that the mailwrite batch (mw-*.eml) is disjoint from the first
written batch (NNN.eml): for each new message, the share of its word
5-grams that occur anywhere in the first batch, and its highest word-set
Jaccard similarity with any single first-batch message. Run from this
folder: python3 check_overlap.py (prints a summary and the worst cases)."""
import glob, os, re
from email import policy
from email.parser import BytesParser

HERE = os.path.dirname(os.path.abspath(__file__))


def words(path):
    msg = BytesParser(policy=policy.default).parse(open(path, "rb"))
    parts = [str(msg["Subject"] or "")]
    for part in msg.walk():
        if part.get_content_type() in ("text/plain", "text/html") and not part.get_filename():
            parts.append(re.sub(r"<[^>]+>", " ", part.get_content()))
    return re.findall(r"\w+", " ".join(parts).lower())


def grams(ws, n=5):
    return {tuple(ws[i:i + n]) for i in range(len(ws) - n + 1)}


def main():
    old, new = [], []
    for kind in ("phish", "benign"):
        for f in sorted(glob.glob(os.path.join(HERE, kind, "*.eml"))):
            (new if os.path.basename(f).startswith("mw-") else old).append((kind + "/" + os.path.basename(f), words(f)))
    old_grams = set().union(*(grams(w) for _, w in old))
    old_sets = [(n, set(w)) for n, w in old]
    rows = []
    for name, ws in new:
        g = grams(ws)
        shared = len(g & old_grams) / len(g) if g else 0.0
        s = set(ws)
        best, who = max(((len(s & o) / len(s | o), n) for n, o in old_sets), key=lambda x: x[0])
        rows.append((shared, best, name, who))
    print("%d new messages against %d first-batch messages" % (len(new), len(old)))
    print("word 5-grams also in the first batch: mean %.3f, max %.3f" % (
        sum(r[0] for r in rows) / len(rows), max(r[0] for r in rows)))
    print("highest word-set Jaccard with one first-batch message: mean %.3f, max %.3f" % (
        sum(r[1] for r in rows) / len(rows), max(r[1] for r in rows)))
    for r in sorted(rows, reverse=True)[:5]:
        print("  5-grams %.3f  jaccard %.3f  %s ~ %s" % r)
    for r in sorted(rows, key=lambda r: -r[1])[:5]:
        print("  jaccard %.3f  5-grams %.3f  %s ~ %s" % (r[1], r[0], r[2], r[3]))


if __name__ == "__main__":
    main()
