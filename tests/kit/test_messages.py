"""sysdesign.messages: the kit's failure messages, and where their tracebacks end."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

SUITE = '''
from sysdesign.messages import expect_equal, expect_true


def test_equal():
    expect_equal("cache.get('a')", 1, None, why="put('c', 3) evicted it")  # the equal line


def test_true():
    expect_true(False, "len(cache)", got=3, expected="at most 2")  # the true line
'''


def test_the_description_of_a_check_goes_by_keyword():
    with pytest.raises(TypeError):
        expect_equal("f()", 1, 1, "why")  # type: ignore[misc]
    with pytest.raises(TypeError):
        expect_true(True, "f()", 1, 1)  # type: ignore[misc]


def test_explain_has_the_one_shape():
    assert explain("f(1)", 2, 3, "because") == "called f(1)\n  got:      2\n  expected: 3\n  why: because"


def test_expect_passes_quietly_and_fails_with_the_explanation():
    expect_equal("f()", 1, 1)
    expect_true(True, "f()", got=1, expected=1)
    with pytest.raises(AssertionError) as raised:
        expect_equal("f()", 1, 2, why="why not")
    assert str(raised.value) == explain("f()", 1, 2, "why not")


@pytest.mark.parametrize("tb", ["long", "short", "auto"])
def test_a_failure_points_at_the_test_line_not_into_messages(pytester, tb):
    pytester.makepyfile(test_sample=SUITE)
    result = pytester.runpytest_inprocess(f"--tb={tb}", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert "messages.py" not in out
    assert "raise AssertionError" not in out
    for name in ("equal", "true"):
        section = out.split(f" test_{name} ")[1]
        assert f"# the {name} line" in section
        assert "E   AssertionError: called " in section or "E       AssertionError: called " in section
