"""Task 1: validate() lists every problem of a config against a schema."""

from __future__ import annotations

import copy
import random

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import good, oracle_problem_keys, problem_keys

pytestmark = pytest.mark.task(1)


def check(cfg, schema, config, expected_keys, why):
    problems = cfg.validate(config, schema)
    expect_true(isinstance(problems, list) and all(isinstance(p, str) for p in problems),
                f"validate({config!r}, schema)", got=problems, expected="a list of strings")
    expect_equal(f"settings named by validate({config!r}, schema)", problem_keys(problems), sorted(expected_keys),
                 why=why + " (each problem starts with the setting's name and a colon)")


def test_a_valid_config_has_no_problems(cfg, schema):
    cases = [
        (good(), "every setting present and in range"),
        ({k: v for k, v in good().items() if k not in ("log_level", "maintenance", "checkout_percent")},
         "optional settings may be absent"),
        (good(max_connections=1, timeout_s=0.1), "min is inclusive"),
        (good(max_connections=10_000, timeout_s=60, checkout_percent=100), "max is inclusive"),
        (good(timeout_s=2), "an int is a fine value for a float setting"),
        (good(regions=[]), "an empty list has no bad item"),
        (good(regions=("asia",)), "a tuple is a list too"),
    ]
    for config, why in cases:
        check(cfg, schema, config, [], why)


@pytest.mark.points(2)
def test_each_kind_of_problem_is_reported(cfg, schema):
    base = good()
    missing = dict(base)
    del missing["timeout_s"]
    cases = [
        ({**base, "time_out": 3}, ["time_out"], "a key the schema does not know is a typo waiting to bite"),
        (missing, ["timeout_s"], "a required setting is absent"),
        (good(max_connections="100"), ["max_connections"], "a string is not an int"),
        (good(max_connections=2.5), ["max_connections"], "a float is not an int"),
        (good(timeout_s="fast"), ["timeout_s"], "a string is not a float"),
        (good(log_level=3), ["log_level"], "an int is not a str"),
        (good(maintenance="yes"), ["maintenance"], "'yes' is not a bool"),
        (good(regions="eu"), ["regions"], "a str is not a list of str"),
        (good(regions=["eu", 7]), ["regions"], "every item of a list[str] must be a str"),
        (good(max_connections=0), ["max_connections"], "below min"),
        (good(max_connections=10_001), ["max_connections"], "above max"),
        (good(timeout_s=0.09), ["timeout_s"], "below min"),
        (good(checkout_percent=100.5), ["checkout_percent"], "above max"),
        (good(log_level="verbose"), ["log_level"], "not one of the choices"),
        (good(regions=["eu", "mars"]), ["regions"], "every item of a list[str] must be one of the choices"),
    ]
    for config, keys, why in cases:
        check(cfg, schema, config, keys, why)


def test_booleans_are_not_numbers_and_numbers_are_not_booleans(cfg, schema):
    check(cfg, schema, good(max_connections=True), ["max_connections"],
          "True is an int to Python, but a config saying max_connections = true is a mistake")
    check(cfg, schema, good(timeout_s=False), ["timeout_s"], "a bool is not a float setting either")
    check(cfg, schema, good(maintenance=1), ["maintenance"], "1 is not a bool")


def test_every_problem_is_listed_not_just_the_first(cfg, schema):
    config = {"max_connections": 0, "timeout_s": "x", "regions": ["mars"], "colour": "red", "log_level": "loud"}
    check(cfg, schema, config, ["colour", "log_level", "max_connections", "regions", "timeout_s"],
          "an operator fixing a config wants every mistake at once")
    missing = {"log_level": "info"}
    check(cfg, schema, missing, ["max_connections", "regions", "timeout_s"], "each absent required setting")


def test_something_that_is_not_a_mapping(cfg, schema):
    for config in (["max_connections", 5], "max_connections=5", None, 42):
        problems = cfg.validate(config, schema)
        expect_true(len(problems) == 1 and str(problems[0]).startswith("config:"),
                    f"validate({config!r}, schema)", got=problems, expected="one problem starting with 'config:'")


@pytest.mark.points(2)
def test_against_a_model_on_random_configs(cfg, schema):
    rng = random.Random(150)
    values = {
        "max_connections": [0, 1, 50, 10_000, 10_001, -3, 2.0, True, "7", None],
        "timeout_s": [0.0, 0.1, 0.05, 1, 60, 60.01, False, "1", [1]],
        "log_level": ["debug", "info", "error", "warn", 1, None, ""],
        "regions": [[], ["eu"], ["us", "asia"], ["eu", "moon"], "eu", ["eu", 1], ("us",), None],
        "maintenance": [True, False, 0, 1, "false", None],
        "checkout_percent": [0, 0.0, 1, 10.5, 100, 101, -0.5, True, "5"],
    }
    extra = ["retries", "timeout", "Max_connections"]
    for _ in range(400):
        config = {}
        for key, options in values.items():
            if rng.random() < 0.85:
                config[key] = rng.choice(options)
        if rng.random() < 0.2:
            config[rng.choice(extra)] = 1
        before = copy.deepcopy(config)
        problems = cfg.validate(config, schema)
        expect_equal(f"settings named by validate({config!r}, schema)", problem_keys(problems),
                     oracle_problem_keys(config), why="one problem per unknown key, absent required setting, wrong "
                     "type, value out of [min, max], or value outside the choices")
        expect_equal(f"the config after validate({before!r}, schema)", config, before, why="validate never changes its input")
