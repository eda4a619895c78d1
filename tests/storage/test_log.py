"""Task 2: DurableKV, an append-only log of framed records, replayed on start, with tombstones."""

import random

import pytest

from sysdesign.messages import explain, expect_equal, expect_true

from .conftest import LOG, Client, durable_node, expect_contents

pytestmark = pytest.mark.task(2)

AWKWARD = {
    "plain": "hello",
    "empty": "",
    "lines": "first line\nsecond line\n",
    "tabs": "a\tb\tc",
    "unicode": "naïve café, 東京, 🚀",
    "key with spaces": "value with = and : and ,",
    "nul": "before\x00after",
    "long": "x" * 5000,
    "ключ": "значение",
}


def test_behaves_like_a_dict(storage, tmp_path):
    kv = storage.DurableKV(tmp_path / LOG)
    expect_equal("DurableKV(new file).keys(), len()", (kv.keys(), len(kv)), ([], 0))
    kv.put("b", "2")
    kv.put("a", "1")
    kv.put("a", "one")
    expect_equal("put b=2, a=1, a=one; get('a')", kv.get("a"), "one", why="the latest put wins")
    expect_equal("... get('zz', 'none')", kv.get("zz", "none"), "none")
    expect_equal("... keys(), len()", (kv.keys(), len(kv)), (["a", "b"], 2))
    expect_equal("... delete('a'), delete('a')", (kv.delete("a"), kv.delete("a")), (True, False))
    expect_equal("... get('a'), keys()", (kv.get("a"), kv.keys()), (None, ["b"]))
    expect_equal("... path", kv.path, tmp_path / LOG, why="self.path is the log file")
    kv.close()


@pytest.mark.points(2)
def test_every_change_is_appended_to_the_log(storage, tmp_path):
    path = tmp_path / LOG
    kv = storage.DurableKV(path)
    sizes = [path.stat().st_size if path.exists() else 0]
    for step, action in enumerate([lambda: kv.put("a", "1"), lambda: kv.put("b", "2"), lambda: kv.put("a", "3"),
                                   lambda: kv.delete("b")]):
        before = path.read_bytes()
        action()
        after = path.read_bytes()
        expect_true(len(after) > len(before) and after.startswith(before),
                    f"DurableKV: size of the log file after change {step + 1} of put a=1, b=2, a=3, delete b",
                    got=len(after), expected=f"more than {len(before)} bytes, the old bytes unchanged",
                    why="append-only: a put or a delete adds a record at the end and never rewrites what is there")
        sizes.append(len(after))
    before = path.read_bytes()
    kv.delete("nope")
    kv.get("a")
    kv.keys()
    expect_equal("... then delete('nope') (absent), get('a'), keys(): log size", len(path.read_bytes()), len(before),
                 why="deleting an absent key writes nothing; reads never write")
    kv.close()


@pytest.mark.points(3)
def test_reopening_replays_the_log(storage, tmp_path):
    path = tmp_path / LOG
    kv = storage.DurableKV(path)
    for key, value in AWKWARD.items():
        kv.put(key, value)
    kv.close()
    kv = storage.DurableKV(path)
    got = {key: kv.get(key) for key in kv.keys()}
    if got != AWKWARD:
        wrong = sorted(k for k in AWKWARD if got.get(k) != AWKWARD[k])
        raise AssertionError(explain(
            "DurableKV: put keys and values with newlines, tabs, NUL, Unicode, '' and 5000 chars; close(); "
            "DurableKV(same path): the keys whose value did not come back", wrong, [],
            "a record is framed by lengths, so any string can be stored; keys and values are UTF-8"))
    kv.close()


@pytest.mark.points(3)
def test_random_operations_survive_reopening(storage, tmp_path):
    rng = random.Random(20260105)
    path = tmp_path / LOG
    kv = storage.DurableKV(path)
    model = {}
    for round_ in range(6):
        for _ in range(60):
            key = f"k{rng.randrange(12)}"
            if rng.random() < 0.7:
                value = "".join(rng.choice("ab\n é") for _ in range(rng.randrange(0, 12)))
                kv.put(key, value)
                model[key] = value
            else:
                expect_equal(f"delete({key!r}) (present: {key in model})", kv.delete(key), key in model)
                model.pop(key, None)
        kv.close()
        kv = storage.DurableKV(path)
        expect_contents(f"DurableKV: {round_ + 1} x (60 random puts/deletes, close, reopen); contents",
                        {k: kv.get(k) for k in kv.keys()}, model,
                        "replay applies every record in order: the latest put wins, a tombstone removes the key")
    kv.close()


@pytest.mark.points(3)
def test_deleted_keys_stay_deleted_after_a_restart(storage, cluster):
    durable_node(cluster, storage)
    client = Client(cluster)
    for key in ("a", "b", "c"):
        client.put(key, f"value of {key}")
    client.delete("b")
    client.put("c", "second value of c")
    client.delete("c")
    cluster.restart("kv")
    expect_equal("DurableKV on node kv: PUT a, b, c; DELETE b; PUT c again; DELETE c; restart; GET /dump",
                 client.dump(), {"a": "value of a"},
                 why="a delete must be in the log too (a tombstone), or replay brings the key back")
    client.put("b", "back")
    cluster.restart("kv")
    expect_equal("... PUT b=back; restart; GET /dump", client.dump(), {"a": "value of a", "b": "back"},
                 why="a put after a tombstone brings the key back")


def test_the_smallest_records_are_kept(storage, tmp_path):
    """An empty key and an empty value are valid: the smallest record is a bare header."""
    kv = storage.DurableKV(tmp_path / LOG)
    kv.put("k", "")
    kv.put("", "empty key")
    kv.put("", "")
    kv.close()
    again = storage.DurableKV(tmp_path / LOG)
    expect_equal("DurableKV: put('k', ''), put('', 'empty key'), put('', ''); close; reopen; "
                 "(get('k'), get(''), keys(), truncated_bytes)",
                 (again.get("k"), again.get(""), again.keys(), again.truncated_bytes), ("", "", ["", "k"], 0),
                 why="an empty key and an empty value are valid str values; a record with both is the smallest "
                 "whole record (header only), not a torn one: replay goes on while a whole header remains")
    again.delete("")
    again.close()
    third = storage.DurableKV(tmp_path / LOG)
    expect_equal("... delete(''); close; reopen; (keys(), truncated_bytes)", (third.keys(), third.truncated_bytes),
                 (["k"], 0), why="a tombstone for the empty key is a whole record too")
    third.close()
