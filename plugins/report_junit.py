"""Report writer: JUnit XML (``sysdesign grade --junit PATH``), one ``<testsuite>`` per exercise.

A test that failed or is not started is a ``<failure>``; one that could not run to a verdict
(error, crashed, timed out, out of memory, missing) an ``<error>``; a skipped one ``<skipped>``
(and worth 0). The ``type`` attribute carries the kit's status. The file is valid against the
xunit2 schema pytest documents (JUnit 10): ``<properties>`` appear only on ``<testsuite>`` (the
exercise's title, points, maximum, status and load error), so each test's points, maximum, task,
status, visibility and node id are one line of its ``<system-out>``, and a capstone's SLO test
adds its SLO row as a second line (``SLO objective: target ...; measured ...; pass; points 8/8``); ``<testsuites>`` carries
``tests``, ``failures`` and ``errors`` (the schema has no ``skipped`` there). Control characters
that XML cannot hold are replaced.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from sysdesign.grade.reporting import ERROR_STATUSES, fmt, label, slo_line, xml_safe
from sysdesign.results import PASSED, GradeReport
from sysdesign.files import write_report_file
from sysdesign.hookspecs import hookimpl


def _properties(parent: ET.Element, values: dict[str, str]) -> None:
    props = ET.SubElement(parent, "properties")
    for name, value in values.items():
        ET.SubElement(props, "property", name=name, value=xml_safe(value))


def build(report: GradeReport) -> ET.ElementTree:
    root = ET.Element("testsuites", name="sysdesign-kit")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for exercise in report.exercises:
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        suite = ET.SubElement(root, "testsuite", name=exercise.slug)
        _properties(suite, {"title": exercise.title, "points": fmt(exercise.points),
                            "max_points": fmt(exercise.max_points), "status": exercise.status,
                            **({"error": exercise.error} if exercise.error else {}),
                            **({"problems": "\n".join(report.problems)} if report.problems else {})})
        for test in exercise.tests:
            counts["tests"] += 1
            file_part = test.nodeid.split("::", 1)[0]
            classname = f"{exercise.slug}." + Path(file_part).stem
            case = ET.SubElement(suite, "testcase", classname=xml_safe(classname), name=xml_safe(test.name), time="0")
            details = (f"points {fmt(test.points)}/{fmt(test.max_points)}; task {'-' if test.task is None else test.task}; "
                       f"status {test.status}; visibility {test.visibility}; nodeid {test.nodeid}")
            if test.slo is not None:
                details += "\n" + slo_line(test)
            if test.status == PASSED:
                ET.SubElement(case, "system-out").text = xml_safe(details)
                continue
            text = xml_safe(test.message or label(test.status))
            first = text.splitlines()[0] if text else label(test.status)
            if test.status == "skipped":
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=first)
            elif test.status in ERROR_STATUSES:
                counts["errors"] += 1
                ET.SubElement(case, "error", message=first, type=test.status).text = text
            else:
                counts["failures"] += 1
                ET.SubElement(case, "failure", message=first, type=test.status).text = text
            ET.SubElement(case, "system-out").text = xml_safe(details)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", "0")
    for key in ("tests", "failures", "errors"):
        root.set(key, str(totals[key]))
    ET.indent(root)
    return ET.ElementTree(root)


@hookimpl
def sysdesign_write_report(report: GradeReport, fmt: str, path: str) -> bool | None:
    if fmt != "junit":
        return None
    write_report_file(path, ET.tostring(build(report).getroot(), encoding="utf-8", xml_declaration=True))
    return True
