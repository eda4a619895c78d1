"""Task 1: structured log lines: one JSON object per line, with the time, the level, the message
and the fields; a level filter; bound fields."""

from __future__ import annotations

import io
import json
from pathlib import PurePosixPath

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import parse_lines

pytestmark = pytest.mark.task(1)


@pytest.mark.points(2)
def test_one_json_object_per_line_with_time_level_message_and_fields(monitoring, clock):
    out = io.StringIO()
    log = monitoring.StructuredLogger(out.write)
    log.info("user signed in", user="ada", attempt=2)
    clock.tick(1.5)
    log.error("payment declined", order=17, amount=9.99)
    records = parse_lines(out.getvalue())
    expect_equal("number of lines after info(...) and error(...)", len(records), 2, why="one line per record")
    t0 = clock.time() - 1.5
    expect_equal("the first line, parsed", records[0],
                 {"ts": t0, "level": "INFO", "msg": "user signed in", "request_id": None, "user": "ada", "attempt": 2},
                 why="ts is time.time() when the line is logged; request_id is None outside a request")
    expect_equal("the second line, parsed (logged 1.5 s later)", records[1],
                 {"ts": t0 + 1.5, "level": "ERROR", "msg": "payment declined", "request_id": None, "order": 17,
                  "amount": 9.99}, why="read the clock for every line, not once")
    expect_equal("the keys of a line, in order", list(records[1])[:4], ["ts", "level", "msg", "request_id"])


def test_each_line_is_written_in_one_call_and_odd_values_become_strings(monitoring, clock):
    lines = []
    log = monitoring.StructuredLogger(lines.append)
    log.warning("slow disk", path=PurePosixPath("/var/data"), sizes=[1, 2])
    expect_equal("how many times write() was called for one record", len(lines), 1)
    expect_true(lines[0].endswith("\n") and lines[0].count("\n") == 1, "the line passed to write()", got=lines[0],
                expected="one JSON object and one newline")
    expect_equal("json.loads(line)['path'] for a PurePosixPath field", json.loads(lines[0])["path"], "/var/data",
                 why="values JSON cannot hold are written as their str()")


@pytest.mark.points(2)
def test_records_below_the_level_are_dropped(monitoring, clock):
    out = io.StringIO()
    log = monitoring.StructuredLogger(out.write, level="WARNING")
    log.debug("d")
    log.info("i")
    log.warning("w")
    log.error("e")
    log.log("INFO", "i2")
    log.log("ERROR", "e2")
    expect_equal("levels written by a WARNING logger", [r["level"] for r in parse_lines(out.getvalue())],
                 ["WARNING", "ERROR", "ERROR"], why="DEBUG < INFO < WARNING < ERROR; below the logger's level: nothing")
    debug = io.StringIO()
    monitoring.StructuredLogger(debug.write, level="DEBUG").debug("everything")
    expect_equal("lines written by a DEBUG logger for debug()", len(parse_lines(debug.getvalue())), 1)
    with pytest.raises(ValueError):
        log.log("LOUD", "x")
    with pytest.raises(ValueError):
        monitoring.StructuredLogger(out.write, level="VERBOSE")


def test_bound_fields_go_on_every_line_and_bind_makes_a_new_logger(monitoring, clock):
    lines = []
    base = monitoring.StructuredLogger(lines.append, service="checkout", region="eu")
    child = base.bind(region="us", version=3)
    base.info("a")
    child.info("b", version=4)
    a, b = parse_lines(lines)
    expect_equal("fields of base.info('a')", {k: a[k] for k in a if k not in ("ts",)},
                 {"level": "INFO", "msg": "a", "request_id": None, "service": "checkout", "region": "eu"},
                 why="bind() returns a new logger; the original keeps its own fields")
    expect_equal("fields of child.info('b', version=4)", {k: b[k] for k in b if k not in ("ts",)},
                 {"level": "INFO", "msg": "b", "request_id": None, "service": "checkout", "region": "us", "version": 4},
                 why="bound fields on every line; bind()'s fields win over the parent's, the call's over both")
    quiet = monitoring.StructuredLogger(lines.append, level="ERROR").bind(x=1)
    quiet.info("dropped")
    expect_equal("lines after a bound child of an ERROR logger logged at INFO", len(lines), 2,
                 why="a bound logger keeps its parent's level")


def test_reserved_names_are_refused(monitoring, clock):
    log = monitoring.StructuredLogger(io.StringIO().write)
    for name in ("ts", "level", "msg", "request_id"):
        with pytest.raises(ValueError):
            log.info("x", **{name: 1})
        with pytest.raises(ValueError):
            log.bind(**{name: 1})
    with pytest.raises(ValueError):
        monitoring.StructuredLogger(io.StringIO().write, msg="x")
