"""What check and watch show: the suite's message in full and indented, the learner's frames
for an exception, colour only on a terminal and never with NO_COLOR."""

from __future__ import annotations

from sysdesign.results import FAILED, ExerciseResult, GradeReport
from sysdesign.results import TestResult as GradedTest
from sysdesign.learner.render import result_lines, traceback_frames
from sysdesign.suite_run import SuiteOutcome
from sysdesign.term import progress_bar, style, use_colour

OUTPUT = '''\
=================================== FAILURES ===================================
__________________________________ test_two ___________________________________
Traceback (most recent call last):
  File "/site/_pytest/runner.py", line 353, in from_call
    result = func()
  File "{suite}/test_a.py", line 40, in test_two
    expect_equal("ring.node_for(k)", ring.node_for(key), expected)
  File "{module}", line 5, in node_for
    return helper(key)
  File "{module}", line 7, in helper
    return 1 + "a"
TypeError: unsupported operand type(s) for +: 'int' and 'str'
__________________________________ test_three _________________________________
'''


class Tty:
    def isatty(self):
        return True


def outcome_with(exercise, message: str, output: str = "") -> SuiteOutcome:
    test = GradedTest(f"suites/{exercise.slug}/test_a.py::test_two", "test_two", exercise.slug, 2, 1.0,
                      status=FAILED, message=message)
    return SuiteOutcome(GradeReport("x", [ExerciseResult(exercise.slug, exercise.title, tests=[test])]), 1,
                        output=output)


def test_a_long_message_is_shown_in_full_and_indented(fake_kit):
    exercise = fake_kit.exercises[0]
    message = "AssertionError: called f()\n" + "\n".join(f"  line {n}" for n in range(60))
    lines = result_lines(exercise, outcome_with(exercise, message), description="d")
    assert "    AssertionError: called f()" in lines
    assert "      line 59" in lines


def test_an_exception_shows_the_test_line_and_the_learners_frames(fake_kit, tmp_path):
    exercise = fake_kit.exercises[0]
    module = tmp_path / "alpha.py"
    output = OUTPUT.format(suite=exercise.suite, module=module)
    frames = traceback_frames(output, "test_two", [exercise.suite, module])
    assert [f.split(" in ")[1].split(":")[0] for f in frames] == ["test_two", "node_for", "helper"]
    assert frames[-1].endswith('helper: return 1 + "a"')
    lines = result_lines(exercise, outcome_with(exercise, "TypeError: unsupported operand", output),
                         description="d", module=module)
    assert "  raised on the way through:" in lines


def test_colour_only_on_a_terminal_and_never_with_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_colour(Tty()) and style("x", "red", Tty()) == "\033[31mx\033[0m"
    assert style("x", "red", object()) == "x"
    monkeypatch.setenv("NO_COLOR", "")
    assert not use_colour(Tty()) and style("x", "red", Tty()) == "x"
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert not use_colour(Tty())


def test_progress_bar():
    assert progress_bar(1, 4, width=8, stream=object()) == "[##------] 1/4"
    assert progress_bar(0, 0, width=4, stream=object()) == "[----] 0/0"
