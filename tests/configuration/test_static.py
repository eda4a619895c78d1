"""Task 2: load_static() parses JSON or TOML once, validates, and returns a frozen config."""

from __future__ import annotations

import json

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

from .conftest import problem_keys

pytestmark = pytest.mark.task(2)

JSON_TEXT = json.dumps({"max_connections": 250, "timeout_s": 2.5, "regions": ["eu", "asia"]})
TOML_TEXT = """
max_connections = 250
timeout_s = 2.5
regions = ["eu", "asia"]
"""
EXPECTED = {"max_connections": 250, "timeout_s": 2.5, "regions": ("eu", "asia"), "log_level": "info",
            "maintenance": False, "checkout_percent": 0.0}


@pytest.mark.points(2)
def test_json_and_toml_load_alike_with_defaults(cfg, schema):
    for fmt, text in (("json", JSON_TEXT), ("toml", TOML_TEXT)):
        loaded = cfg.load_static(text, schema, fmt=fmt)
        expect_true(isinstance(loaded, cfg.StaticConfig), f"type of load_static(<{fmt} text>, schema, fmt={fmt!r})",
                    got=type(loaded).__name__, expected="StaticConfig")
        expect_equal(f"dict(load_static(<{fmt} text>, schema, fmt={fmt!r}))", dict(loaded), EXPECTED,
                     why="the settings as written, each absent optional setting with its default, lists as tuples")
        expect_equal(f"len(...) and 'regions' in ... for the {fmt} config", (len(loaded), "regions" in loaded),
                     (6, True), why="a StaticConfig is a Mapping of every setting of the schema")
    expect_equal("the default format: load_static(<json text>, schema)", dict(cfg.load_static(JSON_TEXT, schema)),
                 EXPECTED, why="fmt defaults to 'json'")


@pytest.mark.points(2)
def test_an_invalid_config_is_refused_with_every_problem(cfg, schema):
    text = json.dumps({"max_connections": 0, "timeout_s": 2.5, "regions": ["mars"], "tmeout": 3})
    with pytest.raises(cfg.ConfigError) as caught:
        cfg.load_static(text, schema)
    expect_equal(f"settings named in ConfigError.problems from load_static({text!r}, schema)",
                 problem_keys(caught.value.problems), ["max_connections", "regions", "tmeout"],
                 why="every problem at once, as validate reports them; a static config is checked before it is used")
    toml_text = 'max_connections = "many"\ntimeout_s = 1\nregions = []\n'
    with pytest.raises(cfg.ConfigError) as caught:
        cfg.load_static(toml_text, schema, fmt="toml")
    expect_equal(f"settings named in ConfigError.problems from load_static({toml_text!r}, schema, fmt='toml')",
                 problem_keys(caught.value.problems), ["max_connections"], why="TOML is validated the same way")


def test_text_that_does_not_parse_is_a_config_error(cfg, schema):
    for fmt, text in (("json", '{"max_connections": 5,'), ("toml", "max_connections = = 5"), ("json", "")):
        with pytest.raises(cfg.ConfigError) as caught:
            cfg.load_static(text, schema, fmt=fmt)
        problems = caught.value.problems
        expect_true(len(problems) == 1 and str(problems[0]).startswith("config:"),
                    f"ConfigError.problems from load_static({text!r}, schema, fmt={fmt!r})", got=problems,
                    expected="one problem starting with 'config:'", why="a parse error is a config error, not a crash")
    with pytest.raises(ValueError):
        cfg.load_static(JSON_TEXT, schema, fmt="yaml")


@pytest.mark.points(2)
def test_a_loaded_config_cannot_change(cfg, schema):
    loaded = cfg.load_static(JSON_TEXT, schema)
    def set_item():
        loaded["max_connections"] = 1

    def del_item():
        del loaded["timeout_s"]

    for label, attempt in (("cfg['max_connections'] = 1", set_item), ("del cfg['timeout_s']", del_item)):
        try:
            attempt()
        except TypeError:
            pass
        else:
            raise AssertionError(explain(f"{label} on a StaticConfig", "no error", "TypeError",
                                         "a static config never changes once loaded"))
    expect_true(isinstance(loaded["regions"], tuple), "type of cfg['regions']", got=type(loaded["regions"]).__name__,
                expected="tuple", why="a list inside would let anyone append to the 'immutable' config")
    expect_equal("dict(cfg) after the attempts", dict(loaded), EXPECTED, why="nothing changed")
    source = {"max_connections": 7, "regions": ["us"]}
    frozen = cfg.StaticConfig(source)
    source["max_connections"] = 8
    source["regions"].append("eu")
    source["new"] = 1
    expect_equal("dict(StaticConfig(d)) after changing d", dict(frozen), {"max_connections": 7, "regions": ("us",)},
                 why="StaticConfig keeps its own copy")
    with pytest.raises(KeyError):
        frozen["missing"]
