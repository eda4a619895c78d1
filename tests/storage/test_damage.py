"""Task 4: a torn last record is skipped and cut off; a corrupted record is detected by its
checksum, skipped and counted. The damage is done to the log between a crash and the restart."""

import os

import pytest

from sysdesign.messages import expect_equal

from .conftest import LOG, Client, crash_process, durable_node, expect_contents, own_file, restart

pytestmark = pytest.mark.task(4)

BEFORE = {"a": "alpha", "b": "beta", "c": "old c"}


def log_size(node):
    return (node.disk / LOG).stat().st_size


def torn_store(storage, cluster, cut):
    """Node kv with a, b, c and a last record (c, new value) torn after ``cut(record length)`` bytes."""
    node = durable_node(cluster, storage)
    client = Client(cluster)
    for key, value in BEFORE.items():
        client.put(key, value)
    start = log_size(node)
    client.put("c", "new c " * 20)
    length = log_size(node) - start
    crash_process(cluster, "kv")
    keep = cut(length)
    os.truncate(own_file(node.disk / LOG), start + keep)
    return node, client, start, keep


CUTS = {
    "one byte of the header": lambda length: 1,
    "half the record": lambda length: length // 2,
    "all but its last byte": lambda length: length - 1,
}


@pytest.mark.points(3)
@pytest.mark.parametrize("where", list(CUTS))
def test_a_torn_last_record_is_skipped_and_cut_off(storage, cluster, where):
    node, client, start, keep = torn_store(storage, cluster, CUTS[where])
    what = f"DurableKV: put a, b, c=old c, then c=new c...; crash; log cut to {where} of the last record; restart"
    restart(cluster, "kv", f"a log whose last record holds only {where}")
    expect_contents(f"{what}; GET /dump", client.dump(), BEFORE,
                    "a crash in the middle of an append tears the last record: it is skipped, the rest of the log "
                    "is intact (c keeps its previous value)")
    expect_equal(f"{what}; (truncated_bytes, corrupt_records)", (node.app.truncated_bytes, node.app.corrupt_records),
                 (keep, 0), why=f"the {keep} bytes of the torn record were cut off; a torn tail is not corruption")
    expect_equal(f"{what}; size of the log file", log_size(node), start,
                 why="recovery truncates the file to the end of the last whole record")


@pytest.mark.points(3)
def test_writes_after_a_torn_tail_survive_the_next_restart(storage, cluster):
    node, client, _, _ = torn_store(storage, cluster, CUTS["half the record"])
    restart(cluster, "kv", "a log with a torn last record")
    client.put("d", "delta")
    client.put("c", "newest c")
    crash_process(cluster, "kv")
    restart(cluster, "kv", "after writes that followed a torn-tail recovery")
    expect_contents("DurableKV: torn last record, restart, PUT d, PUT c=newest c, crash, restart; GET /dump",
                    client.dump(), {"a": "alpha", "b": "beta", "c": "newest c", "d": "delta"},
                    "invariant: no acknowledged write lost. Appending behind the torn bytes makes the next "
                    "recovery misread everything after them: cut the torn record off first")


@pytest.mark.points(4)
def test_a_corrupted_record_is_detected_and_skipped(storage, cluster):
    node = durable_node(cluster, storage)
    client = Client(cluster)
    client.put("a", "alpha")
    client.put("b", "first b")
    start = log_size(node)
    client.put("b", "B" * 200)
    end = log_size(node)
    client.put("c", "gamma")
    client.delete("a")
    client.put("d", "delta")
    crash_process(cluster, "kv")
    path = own_file(node.disk / LOG)
    data = bytearray(path.read_bytes())
    middle = start + (end - start) // 2
    data[middle] ^= 0x55
    path.write_bytes(bytes(data))
    restart(cluster, "kv", "a log with one flipped byte")
    what = (f"DurableKV: put a, b=first b, b='B'*200, c, delete a, put d; crash; byte {middle} (inside the value "
            "of b's second record) flipped; restart")
    expect_contents(f"{what}; GET /dump", client.dump(), {"b": "first b", "c": "gamma", "d": "delta"},
                    "the damaged record fails its checksum: it is skipped as if never written (b keeps its "
                    "previous value, never the damaged bytes), and replay goes on with the records after it")
    expect_equal(f"{what}; (corrupt_records, truncated_bytes)", (node.app.corrupt_records, node.app.truncated_bytes),
                 (1, 0), why="one record failed its checksum; nothing was torn")
