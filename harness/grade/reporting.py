"""Helpers the report writers share: names, learner-visible messages, safe text."""

from __future__ import annotations

import functools
import re

from sysdesign.results import PASSED, STATUS_LABELS, ExerciseResult, GradeReport, TestResult

#: Statuses that mean "the test could not run to a verdict" (an error, not a wrong answer).
ERROR_STATUSES = frozenset({"error", "crashed", "timed_out", "out_of_memory", "missing"})
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def fmt(points: float) -> str:
    return f"{points:g}"


def label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def is_visible(test: TestResult) -> bool:
    return test.visibility in ("", "visible")


def title(exercise: ExerciseResult, test: TestResult) -> str:
    """``slug: test name`` (hidden tests keep their name: only their details are withheld)."""
    return f"{exercise.slug}: {test.name}"


def learner_message(test: TestResult, *, reveal_hidden: bool = False) -> str:
    """What a learner may read about ``test``: its message and hint, or only its status when
    it is a hidden test."""
    if test.status == PASSED:
        return ""
    if not reveal_hidden and not is_visible(test):
        return f"{label(test.status)} (a hidden test: details are not shown)"
    text = f"{label(test.status)}: {test.message}" if test.message else label(test.status)
    if test.hint and test.status not in ERROR_STATUSES:
        text += f"\nHint (task {test.task}): {test.hint}"
    return text


def xml_safe(text: str) -> str:
    return _XML_BAD.sub("\N{REPLACEMENT CHARACTER}", text)


def summary_line(report: GradeReport) -> str:
    return f"Points {fmt(report.points)}/{fmt(report.max_points)}"


def walk(report: GradeReport):
    """(exercise, test) pairs in report order."""
    for exercise in report.exercises:
        for test in exercise.tests:
            yield exercise, test


# -- what learner code printed, and the test's source ------------------------------------------------
#: The line ``sysdesign.grade.grader`` puts between a test's message and what learner code printed.
OUTPUT_MARKER = "\n--- what your code printed (first "


def split_output(test: TestResult) -> tuple[str, str]:
    """``(message, printed output)`` of a test: the grader appends what learner code printed to
    the message after :data:`OUTPUT_MARKER`; reports that have a field for it separate them."""
    message = test.message or ""
    head, sep, tail = message.partition(OUTPUT_MARKER)
    if not sep:
        return message, ""
    _, newline, output = tail.partition("\n")
    return head, output if newline else ""


def capped(text: str, limit: int, note: str = "\n[cut: more than {limit} characters]") -> str:
    """``text`` cut to at most ``limit`` characters, ending with ``note`` when it was cut."""
    if len(text) <= limit:
        return text
    note = note.format(limit=limit)
    return text[: max(0, limit - len(note))] + note[: limit]


def _test_file(exercise_slug: str, nodeid: str):
    """The suite file a node id names (None for hidden tests or when it cannot be found)."""
    from pathlib import Path

    from sysdesign import KIT_ROOT
    from sysdesign.plugin_manager import shared_kit

    file_part = nodeid.split("::", 1)[0]
    if not file_part or file_part.startswith("hidden/"):
        return None
    candidates = [KIT_ROOT / file_part]
    exercise = shared_kit().exercise(exercise_slug)
    if exercise is not None:
        candidates.append(exercise.suite / Path(file_part).name)
        candidates += sorted(exercise.suite.rglob(Path(file_part).name))
    return next((p for p in candidates if p.is_file()), None)


@functools.lru_cache(maxsize=64)
def _parsed(path):
    import ast

    source = path.read_text(encoding="utf-8")
    return source, ast.parse(source)


def _function_source(path, names: list[str]) -> str:
    """The source of ``Class::function`` (names) in the file ``path``, read with ``ast`` (the
    parent never imports a suite)."""
    import ast

    source, tree = _parsed(path)
    scope: list[ast.stmt] = tree.body
    node = None
    for name in names:
        node = next((n for n in scope if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                     and n.name == name), None)
        if node is None:
            return ""
        scope = node.body
    if node is None:
        return ""
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    lines = source.splitlines()[first - 1: node.end_lineno]
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines)


def source_of_test(exercise_slug: str, test: TestResult) -> str:
    """The source code of a graded test function (decorators included), or "" when it is not
    at hand. Hidden tests' source is never returned."""
    if not is_visible(test) or "::" not in test.nodeid:
        return ""
    path = _test_file(exercise_slug, test.nodeid)
    if path is None:
        return ""
    names = [part.split("[", 1)[0] for part in test.nodeid.split("::")[1:]]
    try:
        return _function_source(path, names)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return ""


# -- the SLO table of a capstone -------------------------------------------------------------------
#: The columns of an SLO table.
SLO_COLUMNS = ("SLO", "target", "measured", "result", "points")


def slo_tests(exercise: ExerciseResult, *, reveal_hidden: bool = False) -> list[TestResult]:
    """The tests of ``exercise`` that graded a service-level objective (their ``slo`` row), in
    the suite's order; hidden ones only with ``reveal_hidden``."""
    return [t for t in exercise.tests if t.slo is not None and (reveal_hidden or is_visible(t))]


def slo_cells(test: TestResult) -> tuple[str, str, str, str, str]:
    """One SLO row as text: objective, target, measured, result (``pass``, ``FAIL`` when the
    objective missed, else the test's status when it did not pass for another reason), points
    (scored/maximum, from the test's status)."""
    row = test.slo or {}
    if test.status == PASSED:
        result = "pass"
    elif not row.get("passed"):
        result = "FAIL"
    else:
        result = label(test.status)
    return (str(row.get("objective", "")), str(row.get("target", "")), str(row.get("measured", "")), result,
            f"{fmt(test.points)}/{fmt(test.max_points)}")


def slo_line(test: TestResult) -> str:
    """One SLO row on one line (JUnit's ``system-out``, Gradescope's and Exercism's output)."""
    objective, target, measured, result, points = slo_cells(test)
    return f"SLO {objective}: target {target}; measured {measured}; {result}; points {points}"


def _widths(rows: list[tuple[str, ...]], width: int) -> list[int]:
    """Column widths for ``rows`` within ``width`` characters (2 between columns): each column
    gets what it needs when that fits, else the columns that need most give way first."""
    natural = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    room = width - 2 * (len(natural) - 1)
    if sum(natural) <= room:
        return natural
    widths = [min(n, 8) for n in natural]
    for i in (3, 4):  # result and points stay whole
        widths[i] = natural[i]
    left = room - sum(widths)
    for i, want in ((0, 24), (2, 16)):  # the objective first, then what was measured
        grow = max(0, min(natural[i], want, widths[i] + left) - widths[i])
        widths[i] += grow
        left -= grow
    while left > 0:
        i = max(range(3), key=lambda k: (natural[k] - widths[k]) / max(natural[k], 1))
        if natural[i] <= widths[i]:
            break
        widths[i] += 1
        left -= 1
    return widths


def slo_text_table(tests: list[TestResult], width: int = 80, indent: int = 2) -> list[str]:
    """The SLO table of ``tests`` as lines of at most ``width`` characters (long cells wrap
    within their column); empty when no test graded an objective."""
    return text_table([slo_cells(t) for t in tests if t.slo is not None], width, indent)


def text_table(cells: list[tuple[str, ...]], width: int = 80, indent: int = 2) -> list[str]:
    """SLO rows (objective, target, measured, result, points) under :data:`SLO_COLUMNS`, as
    lines of at most ``width`` characters; empty for no rows."""
    import textwrap

    rows = [SLO_COLUMNS, *cells]
    if len(rows) == 1:
        return []
    widths = _widths(rows, width - indent)
    out = []
    for n, row in enumerate(rows):
        cells = [textwrap.wrap(cell, w, break_long_words=True, break_on_hyphens=False) or [""]
                 for cell, w in zip(row, widths)]
        for k in range(max(len(c) for c in cells)):
            parts = [(c[k] if k < len(c) else "").ljust(w) for c, w in zip(cells, widths)]
            out.append((" " * indent + "  ".join(parts)).rstrip())
        if n == 0:
            out.append(" " * indent + "  ".join("-" * w for w in widths))
    return out


def markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;")


def slo_markdown(tests: list[TestResult]) -> list[str]:
    """The SLO table of ``tests`` as Markdown lines (empty when no test graded an objective)."""
    rows = [slo_cells(t) for t in tests if t.slo is not None]
    if not rows:
        return []
    return ["| " + " | ".join(SLO_COLUMNS) + " |", "|---|---|---|---|---:|",
            *("| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in rows)]
