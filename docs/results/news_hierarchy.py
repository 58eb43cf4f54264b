#!/usr/bin/env python3
"""Builds the multi-label check corpus of docs/results/defaults.md, section 14, from the raw
20 Newsgroups posts: every post carries two classes, its newsgroup and the newsgroup's top-level
hierarchy (comp, rec, sci, talk, misc, soc, alt), 27 classes in all, so two posts are relevant to
each other when they share the hierarchy. Features: words of two or more letters, the 10 000 most
frequent in 2 to 50 % of the training posts, sublinear tf-idf, each row of unit length.

    python3 docs/results/news_hierarchy.py ../shared/datasets/20news-bydate OUT
    semhash experiment --data "libsvm:OUT/train.svm,OUT/test.svm?validation=1131&name=newshier" ...

Standard library only; the training rows are shuffled with a fixed seed, and the last 1 131 of
them (a tenth) are the validation split.
"""
import collections
import math
import os
import random
import re
import sys


def main(source, out):
    groups = sorted(os.listdir(os.path.join(source, "20news-bydate-train")))
    tops = sorted({g.split(".")[0] for g in groups})
    classes = groups + ["top." + t for t in tops]
    word = re.compile(r"[a-z]{2,}")

    def read(split):
        documents = []
        for index, group in enumerate(groups):
            folder = os.path.join(source, "20news-bydate-" + split, group)
            for name in sorted(os.listdir(folder), key=lambda s: int(s) if s.isdigit() else 0):
                with open(os.path.join(folder, name), encoding="latin-1") as f:
                    counts = collections.Counter(word.findall(f.read().lower()))
                if counts:
                    documents.append((counts, [index, len(groups) + tops.index(group.split(".")[0])]))
        return documents

    train, test = read("train"), read("test")
    frequency = collections.Counter()
    for counts, _ in train:
        frequency.update(counts.keys())
    n = len(train)
    vocabulary = [w for w, k in frequency.most_common() if 2 <= k <= 0.5 * n][:10000]
    column = {w: i for i, w in enumerate(vocabulary)}
    idf = [math.log(n / frequency[w]) + 1 for w in vocabulary]

    def write(documents, path):
        with open(path, "w") as f:
            for counts, labels in documents:
                values = {column[w]: (1 + math.log(k)) * idf[column[w]] for w, k in counts.items() if w in column}
                norm = math.sqrt(sum(v * v for v in values.values())) or 1
                cells = " ".join(f"{i + 1}:{values[i] / norm:.6g}" for i in sorted(values))
                f.write(",".join(map(str, labels)) + " " + cells + "\n")

    os.makedirs(out, exist_ok=True)
    random.seed(1)
    random.shuffle(train)
    write(train, os.path.join(out, "train.svm"))
    write(test, os.path.join(out, "test.svm"))
    with open(os.path.join(out, "classes.txt"), "w") as f:
        f.write("\n".join(classes) + "\n")
    with open(os.path.join(out, "vocab.txt"), "w") as f:
        f.write("\n".join(vocabulary) + "\n")
    print(f"{len(train)} training and {len(test)} test posts, {len(classes)} classes, {len(vocabulary)} terms in {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: news_hierarchy.py 20NEWS-BYDATE-DIR OUT-DIR")
    main(sys.argv[1], sys.argv[2])
