"""The pack authors' API (``sysdesign.api``) and the kit's one import root."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

import sysdesign.api as api
from sysdesign import KIT_ROOT

EXAMPLE = KIT_ROOT / "examples" / "circuit_breaker_pack" / "src"


def test_every_public_name_is_there():
    assert sorted(api.__all__) == sorted(set(api.__all__))
    for name in api.__all__:
        assert getattr(api, name) is not None, name


def test_expect_true_takes_a_bool_first_and_the_description_by_keyword():
    api.expect_true(True, "x", got=1, expected=1)
    with pytest.raises(TypeError, match="must be a bool"):
        api.expect_true("state after 3 failures", "open" == "open", got="open", expected="open")
    with pytest.raises(TypeError):
        api.expect_true(True, "x", 1, 1)  # type: ignore[misc]  # got/expected only by keyword
    with pytest.raises(AssertionError) as failed:
        api.expect_true(False, "retries after 2 s", got=3, expected="<= 2", why="the budget is 2")
    assert str(failed.value).splitlines() == ["called retries after 2 s", "  got:      3", "  expected: '<= 2'",
                                              "  why: the budget is 2"]


def test_expect_equal_takes_why_by_keyword():
    api.expect_equal("x", 1, 1, why="same")
    with pytest.raises(TypeError):
        api.expect_equal("x", 1, 1, "same")  # type: ignore[misc]
    with pytest.raises(AssertionError, match="why: it was evicted"):
        api.expect_equal("cache.get('a')", 1, None, why="it was evicted")


def test_the_example_pack_imports_the_kit_only_through_the_public_api():
    imports = []
    for path in sorted(EXAMPLE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sysdesign":
                imports.append((path.relative_to(EXAMPLE).as_posix(), node.module))
            elif isinstance(node, ast.Import):
                imports += [(path.relative_to(EXAMPLE).as_posix(), a.name) for a in node.names
                            if a.name.split(".")[0] == "sysdesign"]
    assert imports, "the example pack uses the kit"
    assert {module for _, module in imports} == {"sysdesign.api"}, imports


@pytest.mark.parametrize("name", ["harness", "plugins", "solutions", "exercises"])
def test_installing_the_kit_adds_no_generic_top_level_name(name, tmp_path):
    # -I: no current folder on the path, as in any other project's environment
    done = subprocess.run([sys.executable, "-I", "-c", f"import {name}"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0 and "No module named" in done.stderr
    done = subprocess.run([sys.executable, "-I", "-c", "import sysdesign.api, sysdesign.plugins.pytest_plugin"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
