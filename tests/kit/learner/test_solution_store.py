"""The reference reader: the module when the kit has it, else the release blob."""

from __future__ import annotations

import base64
import dataclasses
import zlib

import pytest

from sysdesign.solution_store import SolutionUnavailable, decode, encode, read_reference, write_blob


def test_blob_is_zlib_then_base64():
    source = "def f():\n    return 'é'\n"
    blob = encode(source)
    assert zlib.decompress(base64.b64decode(blob)).decode() == source
    assert decode(blob) == source


def test_the_module_is_preferred(fake_kit, tmp_path):
    exercise = fake_kit.exercises[0]
    write_blob(exercise.slug, "from the blob\n", tmp_path / "release")
    reference = read_reference(exercise, tmp_path / "release")
    assert reference.source.startswith("# reference of alpha") and reference.origin == exercise.reference


def test_without_the_module_the_release_blob_is_read(fake_kit, tmp_path):
    exercise = dataclasses.replace(fake_kit.exercises[0], reference=tmp_path / "gone.py")
    path = write_blob("alpha", "from the blob\n", tmp_path / "release")
    assert path.name == "alpha.py.zb64"
    reference = read_reference(exercise, tmp_path / "release")
    assert reference.source == "from the blob\n" and reference.origin == path


def test_neither_is_one_clear_error(fake_kit, tmp_path):
    exercise = dataclasses.replace(fake_kit.exercises[0], reference=tmp_path / "gone.py")
    with pytest.raises(SolutionUnavailable, match="no reference for 'alpha'"):
        read_reference(exercise, tmp_path / "release")
    (tmp_path / "release").mkdir()
    (tmp_path / "release" / "alpha.py.zb64").write_text("not base64 at all!")
    with pytest.raises(SolutionUnavailable, match="not a solution blob"):
        read_reference(exercise, tmp_path / "release")
