"""Known-wrong: validate checks int and float settings with isinstance(value, (int, float)), and
True is an int in Python, so 'max_connections = true' passes."""

from collections.abc import Mapping

from solutions.configuration import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_validate.py::test_booleans_are_not_numbers_and_numbers_are_not_booleans",
    "test_validate.py::test_against_a_model_on_random_configs",
]

_CHECKS = {
    "int": lambda v: isinstance(v, int),
    "float": lambda v: isinstance(v, (int, float)),
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "list[str]": lambda v: isinstance(v, (list, tuple)) and all(isinstance(i, str) for i in v),
}


def validate(config, schema):
    if not isinstance(config, Mapping):
        return ["config: not a mapping"]
    problems = [f"{key}: unknown setting" for key in config if key not in schema]
    for key, spec in schema.items():
        if key not in config:
            if spec.required:
                problems.append(f"{key}: missing")
            continue
        value = config[key]
        if not _CHECKS[spec.type](value):
            problems.append(f"{key}: wrong type")
            continue
        if spec.type in ("int", "float"):
            if spec.min is not None and value < spec.min:
                problems.append(f"{key}: too small")
            if spec.max is not None and value > spec.max:
                problems.append(f"{key}: too large")
        if spec.choices is not None:
            items = value if spec.type == "list[str]" else [value]
            if any(v not in spec.choices for v in items):
                problems.append(f"{key}: not a choice")
    return problems
