"""The reference gets full marks and the pristine stub zero, in every report format; hidden
instructor tests are graded like the suite's own and keep their visibility. Each format is
checked against its consumer's specification: Exercism's test-runner interface v3 (test source,
captured output capped at 500 characters, ``error`` for a submission that does not import) and
the xunit2 schema pytest documents for JUnit XML (vendored as ``junit-10.xsd``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from sysdesign.plugin_manager import shared_kit

KIT = shared_kit()
EXERCISE = KIT.exercise("http_basics")
XSD = Path(__file__).with_name("junit-10.xsd")
NOISY = textwrap.dedent('''

    def parse_request(*args, **kwargs):
        print("noise " * 400)
        raise RuntimeError("boom")
''')
FORMATS = {"gradescope": "gradescope.json", "exercism": "exercism.json", "junit": "junit.xml", "json": "model.json",
           "markdown": "summary.md"}

HIDDEN_TEST = textwrap.dedent('''
    import pytest


    @pytest.mark.task(2)
    @pytest.mark.points(2)
    @pytest.mark.visibility("after_due_date")
    def test_hidden_method_and_path(http_basics):
        request = http_basics.parse_request(b"GET /a?b=c HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n")
        assert (request.method, request.path) == ("GET", "/a")


    @pytest.mark.task(2)
    def test_hidden_by_default(http_basics):
        assert http_basics.parse_request(b"GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n").method == "GET"
''')


def weak_sandbox_option() -> list[str]:
    """The option that lets ``sysdesign grade`` run where learner code cannot be fully confined
    (an interpreter in root's home, which an unprivileged user cannot read)."""
    done = subprocess.run([sys.executable, "-m", "sysdesign.cli", "grade", "--help"], capture_output=True, text=True)
    return ["--allow-weak-sandbox"] if "--allow-weak-sandbox" in done.stdout else []


def grade_cli(tmp: Path, impl: Path, hidden: Path) -> tuple[subprocess.CompletedProcess, dict[str, Path]]:
    """``sysdesign grade`` as a course's CI runs it, every report requested."""
    paths = {fmt: tmp / name for fmt, name in FORMATS.items()}
    summary = tmp / "step-summary.md"
    summary.write_text("earlier steps\n", encoding="utf-8")
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "SYSDESIGN_STATE_DIR": str(tmp / "state")}
    args = [sys.executable, "-m", "sysdesign.cli", "grade", "--impl", str(impl), "--exercise", EXERCISE.slug,
            "--hidden", str(hidden), "--timeout", "60", *weak_sandbox_option()]
    for fmt, path in paths.items():
        args += [f"--{fmt}", str(path)]
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=tmp, timeout=200)
    paths["step_summary"] = summary
    return done, paths


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reports")
    hidden = tmp / "hidden" / EXERCISE.slug
    hidden.mkdir(parents=True)
    (hidden / "test_extra.py").write_text(HIDDEN_TEST, encoding="utf-8")
    runs = {}
    reference = EXERCISE.reference.read_text(encoding="utf-8")
    for name, source in (("reference", reference), ("pristine", EXERCISE.stub.read_text(encoding="utf-8")),
                         ("noisy", reference + NOISY), ("broken", "def parse_request(:\n")):
        impl = tmp / f"impl-{name}"
        impl.mkdir()
        (impl / f"{EXERCISE.slug}.py").write_text(source, encoding="utf-8")
        out = tmp / f"out-{name}"
        out.mkdir()
        runs[name] = grade_cli(out, impl, tmp / "hidden")
    return runs


def test_console_ends_with_the_points_and_markdown_reaches_the_step_summary(graded):
    for name in ("reference", "pristine"):
        done, paths = graded[name]
        assert done.returncode == 0, done.stdout + done.stderr
        last = done.stdout.strip().splitlines()[-1]
        assert last.startswith("Points "), done.stdout
        summary = paths["step_summary"].read_text(encoding="utf-8")
        assert summary.startswith("earlier steps\n") and "Points " in summary
    ref_total = graded["reference"][0].stdout.strip().splitlines()[-1].split()[1]
    got, total = ref_total.split("/")
    assert got == total and float(total) > 0
    assert graded["pristine"][0].stdout.strip().splitlines()[-1] == f"Points 0/{total}"


def test_json_model_full_marks_and_zero_hidden_tests_included(graded):
    ref = json.loads(graded["reference"][1]["json"].read_text())
    stub = json.loads(graded["pristine"][1]["json"].read_text())
    assert ref["points"] == ref["max_points"] == stub["max_points"] > 0
    assert stub["points"] == 0
    tests = [t for ex in ref["exercises"] for task in ex["tasks"] for t in task["tests"]]
    hidden = {t["nodeid"]: t for t in tests if t["nodeid"].startswith("hidden/")}
    assert set(hidden) == {"hidden/http_basics/test_extra.py::test_hidden_method_and_path",
                           "hidden/http_basics/test_extra.py::test_hidden_by_default"}
    assert hidden["hidden/http_basics/test_extra.py::test_hidden_method_and_path"]["max_points"] == 2
    assert all(t["status"] == "passed" for t in tests)
    stub_tests = [t for ex in stub["exercises"] for task in ex["tasks"] for t in task["tests"]]
    assert {t["status"] for t in stub_tests} == {"not_started"}


def test_gradescope_results(graded):
    ref = json.loads(graded["reference"][1]["gradescope"].read_text())
    stub = json.loads(graded["pristine"][1]["gradescope"].read_text())
    assert ref["score"] == sum(t["max_score"] for t in ref["tests"]) > 0
    assert stub["score"] == 0 and all(t["status"] == "failed" and t["score"] == 0 for t in stub["tests"])
    for test in ref["tests"]:
        assert {"name", "number", "score", "max_score", "status", "output", "visibility"} <= set(test)
    visibility = {t["name"]: t["visibility"] for t in ref["tests"]}
    assert visibility["http_basics: test_hidden_method_and_path"] == "after_due_date"
    assert visibility["http_basics: test_hidden_by_default"] == "hidden"
    assert {v for n, v in visibility.items() if "hidden" not in n} == {"visible"}
    assert any("not started" in t["output"] for t in stub["tests"])


def test_exercism_v3_results(graded):
    ref = json.loads(graded["reference"][1]["exercism"].read_text())
    stub = json.loads(graded["pristine"][1]["exercism"].read_text())
    assert ref["version"] == stub["version"] == 3
    assert ref["status"] == "pass" and stub["status"] == "fail"
    assert {t["status"] for t in ref["tests"]} == {"pass"} and {t["status"] for t in stub["tests"]} == {"fail"}
    assert ref["max_score"] == sum(t["score"] for t in ref["tests"]) and sum(t["score"] for t in stub["tests"]) == 0
    for test in stub["tests"]:
        assert {"name", "status", "message", "test_code", "task_id"} <= set(test)
    hidden = [t for t in stub["tests"] if "hidden" in t["name"]]
    assert hidden and all("details are not shown" in t["message"] for t in hidden)
    assert all(t["message"] is None for t in ref["tests"]) and "message" not in ref


def test_exercism_test_code_is_the_test_functions_source(graded):
    ref = json.loads(graded["reference"][1]["exercism"].read_text())
    visible = [t for t in ref["tests"] if "hidden" not in t["name"]]
    assert visible
    for test in visible:
        name = test["name"].split(": ", 1)[1].split("[", 1)[0]
        assert f"def {name}(" in test["test_code"], test["test_code"][:300]
        assert "::" not in test["test_code"].splitlines()[0]
    hidden = [t for t in ref["tests"] if "hidden" in t["name"]]
    assert hidden and all("def " not in t["test_code"] for t in hidden)


def test_exercism_output_is_what_the_code_printed_capped_at_500_characters(graded):
    noisy = json.loads(graded["noisy"][1]["exercism"].read_text())
    printed = [t for t in noisy["tests"] if t["output"]]
    assert printed, [t["message"] for t in noisy["tests"]][:3]
    for test in printed:
        assert len(test["output"]) <= 500 and test["output"].startswith("noise noise")
        assert "what your code printed" not in test["message"] and "noise noise" not in test["message"]
    assert noisy["status"] == "fail"
    quiet = json.loads(graded["pristine"][1]["exercism"].read_text())
    assert all(t["output"] is None for t in quiet["tests"])


def test_exercism_submission_that_does_not_import_is_an_error(graded):
    broken = json.loads(graded["broken"][1]["exercism"].read_text())
    assert broken["version"] == 3 and broken["status"] == "error"
    assert "SyntaxError" in broken["message"] and len(broken["message"]) <= 65535
    gradescope = json.loads(graded["broken"][1]["gradescope"].read_text())
    assert gradescope["score"] == 0


def test_junit_xml_is_valid_against_the_xunit2_schema(graded):
    schema = xmlschema.XMLSchema(XSD)
    for name in ("reference", "pristine", "noisy", "broken"):
        path = graded[name][1]["junit"]
        schema.validate(path)
        root = ET.parse(path).getroot()
        assert root.get("skipped") is None and not root.findall(".//testcase/properties")
        suite = root.find("testsuite")
        assert {p.get("name") for p in suite.find("properties")} >= {"points", "max_points", "status"}
        assert all(case.find("system-out").text.startswith("points ") for case in root.iter("testcase"))


def test_junit_xml(graded):
    for name, failures in (("reference", 0), ("pristine", None)):
        root = ET.parse(graded[name][1]["junit"]).getroot()
        assert root.tag == "testsuites" and int(root.get("tests")) > 0
        if failures is not None:
            assert root.get("failures") == root.get("errors") == "0"
        else:
            assert int(root.get("failures")) == int(root.get("tests"))
            assert {e.get("type") for e in root.iter("failure")} == {"not_started"}


def test_markdown_summary(graded):
    ref = graded["reference"][1]["markdown"].read_text()
    stub = graded["pristine"][1]["markdown"].read_text()
    assert "| http_basics | passing |" in ref and "| http_basics | not started |" in stub
    assert "**Points 0/" in stub and "<details>" in stub and "<details>" not in ref
