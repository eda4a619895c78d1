"""Tasks 2-5 as a property: DurableKV against a dict, after every step of sequences of puts,
deletes, reopenings, compactions and power cuts that hypothesis chooses (and shrinks when one
fails). Keys and values lean to the smallest ones (``""``), and every step is followed by the
whole comparison: ``get`` of every key, ``keys()``, ``len()``; a power cut loses nothing that
was acknowledged, because acknowledged means fsynced.
"""

import itertools
import os
import shutil

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from sysdesign import durability
from sysdesign.properties import ModelMachine, Story, run_machine

from .conftest import LOG

KEYS = st.sampled_from(["", "a", "k"])
VALUES = st.sampled_from(["", "", "1", "x\ny", "é"])


class LogMachine(ModelMachine):
    storage = disk = root = None  # bound by run_machine
    runs = itertools.count()

    @initialize()
    def start(self):
        self.folder = self.root / f"run-{next(self.runs)}"
        self.folder.mkdir()
        self.path = self.folder / LOG
        self.kv = self.storage.DurableKV(self.path)
        self.model = {}
        self.story = Story("kv = DurableKV(a new file)")

    def teardown(self):
        kv = getattr(self, "kv", None)
        if kv is not None:
            try:
                kv.close()
            except Exception:  # noqa: BLE001 - a learner close() that fails must not hide the finding
                pass
        folder = getattr(self, "folder", None)
        if folder is not None:
            # Forget this example's files in the disk model, then delete them: the model walks its
            # whole folder to find a file, so hundreds of leftover examples would slow every step
            # (and a reused inode must not inherit an old file's synced bytes).
            for path in folder.iterdir():
                self.disk.durable.pop(os.lstat(path).st_ino, None)
            self.disk.pending = [r for r in self.disk.pending if folder not in (r.src_dir, r.dst_dir)]
            shutil.rmtree(folder)

    @rule(key=KEYS, value=VALUES)
    def put(self, key, value):
        self.story.add(f"kv.put({key!r}, {value!r})")
        self.kv.put(key, value)
        self.model[key] = value

    @rule(key=KEYS)
    def delete(self, key):
        call = f"kv.delete({key!r})"
        self.story.add(call)
        self.check(call, self.kv.delete(key), key in self.model,
                   "delete returns True when the key was there, False when it was not")
        self.model.pop(key, None)

    @rule()
    def compact(self):
        self.story.add("kv.compact()")
        self.kv.compact()

    @rule()
    def reopen(self):
        self.story.add("kv.close(); kv = DurableKV(same path)")
        self.kv.close()
        self.kv = self.storage.DurableKV(self.path)

    @rule()
    def power_cut(self):
        self.story.add("power cut; kv = DurableKV(same path)")
        durability.crash_files(self.kv)
        self.disk.cut(self.folder)
        self.kv = self.storage.DurableKV(self.path)

    @invariant()
    def matches_the_model(self):
        expected = dict(sorted(self.model.items()))
        self.check("(kv.keys(), len(kv))", (self.kv.keys(), len(self.kv)), (list(expected), len(expected)),
                   "keys() lists the live keys, sorted, and len() counts them: the latest put of a key wins once, "
                   "a delete removes it, through reopenings, compactions and power cuts alike")
        for key in ["", "a", "k"]:
            self.check(f"kv.get({key!r}, 'absent')", self.kv.get(key, "absent"), expected.get(key, "absent"),
                       "the latest acknowledged put, or the default once deleted (an empty key and an empty value "
                       "are valid)")


@pytest.mark.task(5)
@pytest.mark.points(3)
def test_the_store_matches_a_dict_after_every_step(storage, disk, tmp_path):
    run_machine(LogMachine, max_examples=50, steps=14, storage=storage, disk=disk, root=tmp_path)
