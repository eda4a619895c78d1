"""Tasks 1-2: the blob store (content-addressed chunks, de-duplication, checksums, reference counts)."""

import hashlib
import random

import pytest

from sysdesign.messages import expect_equal, expect_true


def sha(data):
    return hashlib.sha256(data).hexdigest()


def blocks(seed, count, size):
    rng = random.Random(seed)
    return [bytes(rng.randrange(256) for _ in range(size)) for _ in range(count)]


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_round_trip_and_chunking(storage):
    store = storage.BlobStore(chunk_size=4)
    data = bytes(range(11))
    ids = store.put("eleven", data)
    expected = [sha(data[0:4]), sha(data[4:8]), sha(data[8:11])]
    expect_equal("BlobStore(chunk_size=4).put('eleven', bytes(range(11)))", ids, expected,
                 why="chunks of 4, 4 and 3 bytes, each named by sha256(chunk).hexdigest()")
    expect_equal("store.manifest('eleven')", store.manifest("eleven"), expected)
    expect_equal("store.get('eleven')", store.get("eleven"), data)
    expect_equal("sorted(store.chunks)", sorted(store.chunks), sorted(expected), why="store.chunks maps chunk id -> bytes")
    expect_equal("store.chunks[id of the last chunk]", store.chunks[expected[2]], data[8:11])
    for size in (0, 1, 3, 4, 5, 8, 9, 100):
        payload = bytes((i * 7) % 256 for i in range(size))
        store.put(f"b{size}", payload)
        expect_equal(f"store.get('b{size}') for a {size}-byte blob", store.get(f"b{size}"), payload)
        expect_equal(f"len(store.manifest('b{size}')) for a {size}-byte blob with chunk_size=4",
                     len(store.manifest(f"b{size}")), -(-size // 4), why="ceil(size / chunk_size) chunks; none for empty")
    store.put("ba", bytearray(b"abc"))
    expect_equal("store.get('ba') after put('ba', bytearray(b'abc'))", store.get("ba"), b"abc")
    expect_equal("store.names()", store.names(), sorted(["eleven", "ba"] + [f"b{s}" for s in (0, 1, 3, 4, 5, 8, 9, 100)]))


@pytest.mark.task(1)
def test_unknown_names_and_bad_chunk_size(storage):
    store = storage.BlobStore(chunk_size=8)
    with pytest.raises(KeyError):
        store.get("missing")
    with pytest.raises(KeyError):
        store.manifest("missing")
    with pytest.raises(ValueError):
        storage.BlobStore(chunk_size=0)
    expect_equal("BlobStore().stored_bytes", storage.BlobStore().stored_bytes, 0)


@pytest.mark.task(1)
@pytest.mark.points(3)
def test_identical_content_under_two_names_is_stored_once(storage):
    store = storage.BlobStore(chunk_size=1024)
    video = b"".join(blocks(1, 10, 1024))
    store.put("cat.mp4", video)
    expect_equal("stored_bytes after put('cat.mp4', 10 KiB)", store.stored_bytes, 10 * 1024)
    store.put("copy-of-cat.mp4", video)
    expect_equal("stored_bytes after putting the same 10 KiB again under another name", store.stored_bytes, 10 * 1024,
                 why="chunks are addressed by content, not by blob name: the copy adds no bytes")
    expect_equal("store.get('copy-of-cat.mp4')", store.get("copy-of-cat.mp4"), video)


@pytest.mark.task(1)
@pytest.mark.points(2)
def test_shared_and_repeated_chunks_are_stored_once(storage):
    store = storage.BlobStore(chunk_size=512)
    base = blocks(2, 20, 512)
    store.put("build-1", b"".join(base))
    store.put("build-2", b"".join(base + blocks(3, 3, 512)))
    expect_equal("stored_bytes after build-1 (20 chunks) and build-2 (the same 20 + 3 new)", store.stored_bytes,
                 23 * 512, why="only the 3 new chunks cost anything")
    zeros = bytes(512) * 50
    store.put("zeros", zeros)
    expect_equal("stored_bytes after adding 50 identical zero chunks", store.stored_bytes, 24 * 512,
                 why="a chunk repeated inside one blob is stored once too")
    expect_equal("store.get('zeros')", store.get("zeros"), zeros)
    logical = 20 * 512 + 23 * 512 + len(zeros)
    expect_true(store.stored_bytes * 3 < logical, "stored_bytes vs the bytes the blobs hold", got=store.stored_bytes,
                expected=f"far below {logical}")


def corrupt(store, chunk, how):
    original = store.chunks[chunk]
    if how == "flip":
        store.chunks[chunk] = bytes([original[0] ^ 0x01]) + original[1:]
    else:
        store.chunks[chunk] = original[:-1]


@pytest.mark.task(2)
@pytest.mark.points(3)
@pytest.mark.parametrize("how", ["flip", "truncate"])
def test_a_corrupted_chunk_is_detected_on_read(storage, how):
    store = storage.BlobStore(chunk_size=64)
    shared, own_a, own_b = blocks(4, 3, 64)
    store.put("a", shared + own_a)
    store.put("b", own_b + shared)
    store.put("c", own_b)
    corrupt(store, sha(shared), how)
    what = "one bit flipped" if how == "flip" else "the last byte cut off"
    for name in ("a", "b"):
        with pytest.raises(storage.CorruptionError):
            got = store.get(name)
            raise AssertionError(f"called store.get({name!r}) after the chunk it shares was corrupted ({what})\n"
                                 f"  got:      {len(got)} bytes\n  expected: CorruptionError\n"
                                 "  why: every read must recompute each chunk's sha256 and compare it with the chunk id")
    expect_equal("store.get('c') (does not use the corrupted chunk)", store.get("c"), own_b)


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_delete_frees_only_chunks_nobody_uses(storage):
    store = storage.BlobStore(chunk_size=100)
    x, y, z = blocks(5, 3, 100)
    store.put("first", x + y)
    store.put("second", y + z)
    store.delete("first")
    expect_equal("store.get('second') after delete('first') (they share a chunk)", store.get("second"), y + z,
                 why="a chunk is freed only when no blob uses it any more")
    expect_equal("stored_bytes after delete('first')", store.stored_bytes, 200)
    expect_equal("store.names()", store.names(), ["second"])
    with pytest.raises(KeyError):
        store.get("first")
    with pytest.raises(KeyError):
        store.delete("first")
    store.delete("second")
    expect_equal("store.chunks after deleting every blob", store.chunks, {}, why="no blob uses any chunk")
    expect_equal("stored_bytes after deleting every blob", store.stored_bytes, 0)


@pytest.mark.task(2)
@pytest.mark.points(2)
def test_overwrite_frees_the_old_version(storage):
    store = storage.BlobStore(chunk_size=100)
    x, y, z = blocks(6, 3, 100)
    store.put("doc", x + y)
    store.put("doc", y + z)
    expect_equal("store.get('doc') after overwriting it", store.get("doc"), y + z)
    expect_equal("stored_bytes after put('doc', x+y) then put('doc', y+z)", store.stored_bytes, 200,
                 why="chunk x is used by nobody now and must be freed")
    store.put("twice", x + x + x)
    store.put("once", x)
    store.delete("twice")
    expect_equal("store.get('once') after deleting a blob that used the same chunk three times", store.get("once"), x,
                 why="count every use of a chunk, not just every blob")
    store.put("same", y + z)
    store.put("same", y + z)
    expect_equal("store.get('same') after putting the same content twice under one name", store.get("same"), y + z)
    expect_equal("stored_bytes", store.stored_bytes, 300)


@pytest.mark.task(2)
@pytest.mark.points(3)
@pytest.mark.parametrize("seed", [1, 2])
def test_random_puts_overwrites_and_deletes_match_a_model(storage, seed):
    rng = random.Random(seed)
    size = 32
    pool = blocks(100 + seed, 12, size)
    store, model, chunk_sizes = storage.BlobStore(chunk_size=size), {}, {}
    names = [f"blob-{i}" for i in range(25)]
    for step in range(1500):
        name = rng.choice(names)
        if rng.random() < 0.25 and name in model:
            store.delete(name)
            del model[name]
            op = f"delete({name!r})"
        else:
            data = b"".join(rng.choice(pool) for _ in range(rng.randrange(0, 8)))
            data += rng.choice(pool)[: rng.randrange(0, size)]
            store.put(name, data)
            model[name] = data
            chunk_sizes[name] = {sha(data[i:i + size]): len(data[i:i + size]) for i in range(0, len(data), size)}
            op = f"put({name!r}, {len(data)} bytes)"
        expected_chunks = {}
        for name in model:
            expected_chunks.update(chunk_sizes[name])
        got = store.stored_bytes
        if got != sum(expected_chunks.values()):
            expect_equal(f"stored_bytes after step {step}: {op} (seed {seed})", got, sum(expected_chunks.values()),
                         why="the total size of the distinct chunks the live blobs use")
        probe = rng.choice(names)
        if probe in model:
            expect_true(store.get(probe) == model[probe], f"store.get({probe!r}) after step {step}: {op} (seed {seed})",
                        got="different bytes", expected="the bytes last put under that name")
    expect_equal(f"store.names() at the end (seed {seed})", store.names(), sorted(model))
    expect_equal(f"set(store.chunks) at the end (seed {seed})", set(store.chunks), set(expected_chunks))
