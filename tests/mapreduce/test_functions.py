"""Task 1: the pure parts: tokens, the map and reduce functions of both applications, and the
partition every worker must agree on."""

from __future__ import annotations

import random

import pytest

from sysdesign.messages import expect_equal

from .conftest import make_corpus, suite_partition, suite_tokens

pytestmark = pytest.mark.task(1)


def test_tokenize(mapreduce):
    expect_equal("tokenize(\"Don't stop, STOP!\")", mapreduce.tokenize("Don't stop, STOP!"),
                 ["don", "t", "stop", "stop"])
    expect_equal("tokenize('  R2-D2 met C3PO... twice ')", mapreduce.tokenize("  R2-D2 met C3PO... twice "),
                 ["r2", "d2", "met", "c3po", "twice"])
    expect_equal("tokenize('')", mapreduce.tokenize(""), [])
    for docs in make_corpus(random.Random(3), 3, 5):
        for _, text in docs:
            expect_equal(f"tokenize({text!r})", mapreduce.tokenize(text), suite_tokens(text))


@pytest.mark.points(2)
def test_word_count_functions(mapreduce):
    expect_equal("map_word_count('d1', 'The cat and the hat')", mapreduce.map_word_count("d1", "The cat and the hat"),
                 [("the", 1), ("cat", 1), ("and", 1), ("the", 1), ("hat", 1)],
                 why="one (word, 1) per word, repeats included")
    expect_equal("reduce_word_count('the', [1, 1, 1])", mapreduce.reduce_word_count("the", [1, 1, 1]), 3)
    expect_equal("reduce_word_count('the', [4, 2])", mapreduce.reduce_word_count("the", [4, 2]), 6,
                 why="a reduce adds whatever it gets, partial sums included")


@pytest.mark.points(2)
def test_inverted_index_functions(mapreduce):
    expect_equal("map_inverted_index('d7', 'b a B c a')", mapreduce.map_inverted_index("d7", "b a B c a"),
                 [("a", "d7"), ("b", "d7"), ("c", "d7")], why="each distinct word once, words sorted")
    expect_equal("reduce_inverted_index('a', ['d3', 'd1', 'd3', 'd2'])",
                 mapreduce.reduce_inverted_index("a", ["d3", "d1", "d3", "d2"]), ["d1", "d2", "d3"],
                 why="distinct and sorted")
    expect_equal("APPS", {k: tuple(f.__name__ for f in v) for k, v in mapreduce.APPS.items()},
                 {"wordcount": ("map_word_count", "reduce_word_count"),
                  "index": ("map_inverted_index", "reduce_inverted_index")})


def test_partition_is_crc32_mod_n(mapreduce):
    words = sorted({w for docs in make_corpus(random.Random(5), 4, 6) for _, text in docs for w in suite_tokens(text)})
    for n in (1, 3, 7):
        got = [mapreduce.partition(w, n) for w in words]
        expect_equal(f"[partition(w, {n}) for w in {len(words)} words] (first 8)", got[:8],
                     [suite_partition(w, n) for w in words][:8], why="zlib.crc32(key.encode('utf-8')) % n_reduce")
        expect_equal(f"all partitions for n={n}", got, [suite_partition(w, n) for w in words],
                     why="every worker must put a key in the same partition: never the salted built-in hash()")
    with pytest.raises(ValueError):
        mapreduce.partition("x", 0)
