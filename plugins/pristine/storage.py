"""Storage: keeping data through crashes with an append-only log.

Every system stores something: users, orders, metrics. A database is, at heart, a server that
stores and retrieves data for others, and the first question to ask of it is what survives
when it goes down. Memory (RAM) is fast and volatile: when the process dies, everything in it
is gone. A disk is slower and persistent: what reached it is still there after a crash or a
power cut. This exercise builds the same key-value interface twice, once in memory and once on
disk, and then makes the disk version honest about crashes.

**The log.** The simplest durable store never overwrites anything: every ``put`` and every
``delete`` *appends* a record to the end of one file, the log. Appending is a sequential write
(the fastest thing a disk does), and a crash can only damage the record being written at that
moment, never the data before it. Reads do not scan the log: an **index** in memory maps each
key to its latest value (real stores such as Bitcask keep the value's offset in the file
instead, so values need not fit in memory). On start, the index is rebuilt by **replaying** the
log from the first record to the last. A delete cannot remove an old record from the middle of
the file, so it appends a **tombstone**: "this key is gone from here on".

**When is a write on disk?** ``file.write`` copies bytes into a buffer inside your process;
``file.flush()`` hands them to the operating system, which survives your process crashing;
``os.fsync(fd)`` makes the operating system put them on the device, which survives the machine
losing power. A store may only answer "stored" (acknowledge) once the record is where it has
promised it is. Calling ``fsync`` for every write is slow (real databases batch several writes
into one fsync, "group commit", trading a little latency for throughput); here, every write
is synced.

**Damage.** A crash in the middle of an append leaves a **torn** last record: a header that
promises more bytes than the file has. That is not an error: the write was never acknowledged,
so recovery skips it and cuts it off the file (otherwise the next append would land behind the
garbage, and the *next* recovery would misread it). Disks and cables also flip bits, so each
record carries a **checksum** (CRC-32, ``zlib.crc32``) of its contents: a record whose checksum
does not match is corrupt, and recovery skips it and counts it instead of serving damaged data.
A good frame for a record, with ``struct`` (big-endian)::

    crc32 (4 bytes) | key length (4) | value length (4) | kind (1: put or delete) | key | value

where the checksum covers everything after itself, and keys and values are UTF-8.

**Compaction.** The log only grows: a key written a thousand times has a thousand records.
Compaction writes the live keys' latest values into a *new* file, makes that file durable
(flush, fsync), and only then renames it over the old log with ``os.replace``, which is atomic:
whenever the power goes, the log's name points at either the complete old file or the complete
new one. Rewriting the log in place would leave, after a crash at the wrong moment, neither.
Deleted keys simply do not appear in the new file, so they stay deleted. A name is not part of
a file's bytes: it is an entry in the folder, and fsyncing the file does not make the rename
durable. Until the folder itself is fsynced (``fd = os.open(folder, os.O_RDONLY)``,
``os.fsync(fd)``, ``os.close(fd)``), a power cut may bring the old log back under its name, and
with it lose every write acknowledged since the compaction, since those went to the new file.

Other designs: B-trees update pages in place (with their own write-ahead log to survive
crashes); LSM trees (LevelDB, RocksDB, Cassandra) keep sorted runs of a log and compact them in
the background. Both rest on the ideas above.

The suite runs your store on a node of the simulated cluster, with its files in the node's disk
folder, and crashes it: a *process crash* (what your process had not handed to the operating
system is lost) and a *power cut* (what was not fsynced is lost, and so is a rename whose
folder was not fsynced after it; the suite watches ``os.fsync``, ``os.fdatasync``,
``os.replace`` and ``os.rename``, so call them through the ``os`` module:
``os.fsync(f.fileno())``, never a name imported from it). It damages logs on
purpose: it cuts the last record short, and flips a byte inside a value.

Run ``sysdesign check storage``.

Tasks
-----
1. ``MemoryKV``: put, get, delete, keys, len in a dict.
2. ``DurableKV``: append framed records to the log, rebuild the index by replaying it on start,
   tombstones for deletes.
3. ``DurableKV``: acknowledge a write only once it is on disk (flush, then ``os.fsync``).
4. ``DurableKV``: damaged logs: skip and cut off a torn last record; detect a corrupted record
   by its checksum, skip it and count it.
5. ``DurableKV``: ``compact()``: only the latest live values, written to a new file, made
   durable, then atomically renamed over the log, and the rename made durable (fsync the folder).
"""

from __future__ import annotations

import os


class MemoryKV:
    """Task 1. A key-value store in memory. Keys and values are ``str``."""

    def __init__(self) -> None:
        """An empty store."""
        raise NotImplementedError("task 1: implement MemoryKV.__init__")

    def put(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (replacing any value it had)."""
        raise NotImplementedError("task 1: implement MemoryKV.put")

    def get(self, key: str, default: str | None = None) -> str | None:
        """The value of ``key``, or ``default`` when it has none."""
        raise NotImplementedError("task 1: implement MemoryKV.get")

    def delete(self, key: str) -> bool:
        """Remove ``key``; True if it was there, False if not."""
        raise NotImplementedError("task 1: implement MemoryKV.delete")

    def keys(self) -> list[str]:
        """Every key that has a value, sorted."""
        raise NotImplementedError("task 1: implement MemoryKV.keys")

    def __len__(self) -> int:
        """How many keys have a value."""
        raise NotImplementedError("task 1: implement MemoryKV.__len__")


class DurableKV:
    """Tasks 2-5. The same interface as ``MemoryKV``, kept in an append-only log file.

    Attributes the suite reads: ``path`` (the log file), ``corrupt_records`` and
    ``truncated_bytes`` (what the last recovery found, task 4).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Tasks 2 and 4. Open the store whose log is the file ``path`` (its folder exists; the
        file may not yet). Set ``self.path`` (a ``pathlib.Path``), ``self.corrupt_records = 0``
        and ``self.truncated_bytes = 0``, rebuild the index by replaying the log, and keep the
        log open for appending (``open(path, "ab")``).

        Replay (task 2): records in file order; a put sets the key's value, a tombstone removes
        the key. Damage (task 4), never an exception:

        - a record whose checksum does not match its contents is skipped as if it had never
          been written; add 1 to ``corrupt_records`` and go on with the next record (its
          lengths are trusted: the suite only damages bytes inside values);
        - a last record that runs past the end of the file (a torn write) is skipped: cut the
          file back to the end of the last whole record (``truncate``, then ``os.fsync``) and
          set ``truncated_bytes`` to the number of bytes removed.

        A file left behind by a compaction that never finished (task 5) is ignored or removed:
        the log itself is complete.
        """
        raise NotImplementedError("task 2: implement DurableKV.__init__")

    def put(self, key: str, value: str) -> None:
        """Tasks 2-3. Append a put record for ``key`` and ``value``, update the index, return.

        Task 3: when ``put`` returns, the record must be on disk: written, flushed
        (``f.flush()``) and synced (``os.fsync(f.fileno())``)."""
        raise NotImplementedError("task 2: implement DurableKV.put")

    def get(self, key: str, default: str | None = None) -> str | None:
        """Task 2. The latest value of ``key`` from the index (no disk read), or ``default``."""
        raise NotImplementedError("task 2: implement DurableKV.get")

    def delete(self, key: str) -> bool:
        """Tasks 2-3. If ``key`` has a value: append a tombstone (on disk when this returns,
        like ``put``), remove it from the index, return True. Otherwise return False and write
        nothing."""
        raise NotImplementedError("task 2: implement DurableKV.delete")

    def keys(self) -> list[str]:
        """Task 2. Every key that has a value, sorted."""
        raise NotImplementedError("task 2: implement DurableKV.keys")

    def __len__(self) -> int:
        """Task 2. How many keys have a value."""
        raise NotImplementedError("task 2: implement DurableKV.__len__")

    def compact(self) -> None:
        """Task 5. Rewrite the log with one put record per live key (its latest value) and no
        tombstones:

        1. write the records to a new file in the same folder (e.g. ``path`` + ``".compact"``),
           flush it and ``os.fsync`` it;
        2. close the current log and ``os.replace(new_file, path)``: atomic, so a power cut
           leaves either the old log or the new one, both complete;
        3. fsync the folder (``os.open(path.parent, os.O_RDONLY)``, ``os.fsync`` that
           descriptor, ``os.close`` it): only then does the new name survive a power cut. Until
           then a cut may bring the old log back, and writes acknowledged after ``compact()``
           returned (appended to the new file) would be lost with the rename;
        4. reopen ``path`` for appending.

        Never truncate or rewrite the log in place."""
        raise NotImplementedError("task 5: implement DurableKV.compact")

    def close(self) -> None:
        """Task 2. Close the log file (a clean shutdown)."""
        raise NotImplementedError("task 2: implement DurableKV.close")
