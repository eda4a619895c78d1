"""Known-wrong: the inverted index lists a document once per occurrence of the word (no
de-duplication in map or reduce)."""

from solutions.mapreduce import *  # noqa: F401,F403

EXPECT_FAIL = ["test_functions.py::test_inverted_index_functions"]


def map_inverted_index(doc_id, text):
    return [(word, doc_id) for word in tokenize(text)]


def reduce_inverted_index(word, doc_ids):
    return sorted(doc_ids)


APPS = {"wordcount": (map_word_count, reduce_word_count), "index": (map_inverted_index, reduce_inverted_index)}
