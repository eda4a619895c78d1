"""Known-wrong: validate() tests the bounds for truth (``if spec.max and value > spec.max``), so a
bound of 0 counts as no bound: a setting with max=0 accepts any positive value."""

from solutions import configuration as _reference
from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = ["test_properties.py::test_validate_follows_the_rules_on_any_schema"]


def validate(config, schema):
    from collections.abc import Mapping

    if not isinstance(config, Mapping):
        return [f"config: expected an object of settings, got {type(config).__name__}"]
    problems = [f"{key}: unknown setting" for key in config if key not in schema]
    for key, spec in schema.items():
        if key not in config:
            if spec.required:
                problems.append(f"{key}: missing (required)")
            continue
        value = config[key]
        if not _reference._type_ok(spec.type, value):
            problems.append(f"{key}: expected {spec.type}, got {type(value).__name__} {value!r}")
            continue
        if spec.type in ("int", "float"):
            if spec.min is not None and value < spec.min:
                problems.append(f"{key}: {value!r} is below the minimum {spec.min!r}")
            if spec.max and value > spec.max:
                problems.append(f"{key}: {value!r} is above the maximum {spec.max!r}")
        if spec.choices is not None:
            items = value if spec.type == "list[str]" else [value]
            bad = [v for v in items if v not in spec.choices]
            if bad:
                problems.append(f"{key}: {bad[0]!r} is not one of {list(spec.choices)!r}")
    return problems
