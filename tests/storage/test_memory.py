"""Task 1: MemoryKV, a store in the process's memory, and what a crash does to it."""

import pytest

from sysdesign.messages import expect_equal

from .conftest import Client, add_storage_node, crash_process, restart

pytestmark = pytest.mark.task(1)


def test_put_get_delete_keys_len(storage):
    kv = storage.MemoryKV()
    expect_equal("MemoryKV().get('a')", kv.get("a"), None, why="nothing stored yet")
    expect_equal("MemoryKV().get('a', 'none')", kv.get("a", "none"), "none")
    kv.put("b", "2")
    kv.put("a", "1")
    kv.put("a", "one")
    expect_equal("put b=2, a=1, a=one; get('a')", kv.get("a"), "one", why="the latest put wins")
    expect_equal("... keys()", kv.keys(), ["a", "b"], why="sorted")
    expect_equal("... len()", len(kv), 2)
    expect_equal("... delete('a')", kv.delete("a"), True)
    expect_equal("... delete('a') again", kv.delete("a"), False, why="it is not there any more")
    expect_equal("... get('a')", kv.get("a"), None)
    expect_equal("... keys(), len()", (kv.keys(), len(kv)), (["b"], 1))
    kv.put("", "")
    expect_equal("... put('', ''); get('', 'absent')", kv.get("", "absent"), "", why="an empty string is a value")


@pytest.mark.points(2)
def test_a_crash_empties_a_memory_store(storage, cluster):
    add_storage_node(cluster, lambda node: storage.MemoryKV())
    client = Client(cluster)
    for i in range(5):
        client.put(f"k{i}", f"value {i}")
    expect_equal("MemoryKV on node kv: 5 PUTs, then GET /dump", client.dump(),
                 {f"k{i}": f"value {i}" for i in range(5)})
    crash_process(cluster, "kv")
    restart(cluster, "kv", "MemoryKV")
    expect_equal("... the node crashed and restarted; GET /dump", client.dump(), {},
                 why="memory is volatile: a new process starts with an empty store (task 2 keeps data on disk)")
    expect_equal("... GET /kv/k0", client.get("k0"), None)
