"""Task 1 as a property: validate() against the docstring's rules, on schemas and configs
hypothesis chooses (and shrinks when one fails).

The random test of ``test_validate.py`` judges one schema; here the schema varies too, leaning
to the settings a fixed schema never shows: a bound of 0 (falsy, like an absent one), a minimum
without a maximum and the reverse, min == max (the smallest valid range), an optional setting
with a wrong value, values exactly on a bound.
"""

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sysdesign.messages import explain
from sysdesign.properties import grading_settings

from .conftest import problem_keys

NUMBERS = [-1, 0, 1, 0.5, 2]
VALUES = [*NUMBERS, -0.5, 1.5, 3, True, False, "a", "b", "z", "", [], ["a"], ["a", "z"], ("b",), ["a", 1], None]


def type_ok(kind, value):
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return {"int": isinstance(value, int) and not isinstance(value, bool), "float": number,
            "str": isinstance(value, str), "bool": isinstance(value, bool),
            "list[str]": isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)}[kind]


def model_keys(config, schema):
    """The setting named by each problem the docstring asks for, sorted (a multiset)."""
    keys = [k for k in config if k not in schema]
    for key, (kind, required, low, high, choices) in schema.items():
        if key not in config:
            keys += [key] if required else []
            continue
        value = config[key]
        if not type_ok(kind, value):
            keys.append(key)
            continue
        if kind in ("int", "float"):
            keys += [key] if low is not None and value < low else []
            keys += [key] if high is not None and value > high else []
        if choices is not None:
            items = value if kind == "list[str]" else [value]
            keys += [key] if any(v not in choices for v in items) else []
    return sorted(keys)


@st.composite
def fields(draw):
    kind = draw(st.sampled_from(["int", "float", "str", "bool", "list[str]"]))
    required = draw(st.booleans())
    low = high = choices = None
    if kind in ("int", "float"):
        low = draw(st.sampled_from([None, *NUMBERS]))
        high = draw(st.sampled_from([None, *NUMBERS]))
        if low is not None and high is not None and high < low:
            low, high = high, low
    if kind in ("str", "list[str]"):
        choices = draw(st.sampled_from([None, ("a", "b")]))
    return kind, required, low, high, choices


@st.composite
def cases(draw):
    names = draw(st.lists(st.sampled_from(["p", "q", "r"]), min_size=1, max_size=3, unique=True))
    schema = {name: draw(fields()) for name in names}
    config = {}
    for name in [*names, "s"]:
        if draw(st.integers(min_value=0, max_value=5)) and (name != "s" or draw(st.booleans())):
            kind, _, low, high, _ = schema.get(name, ("int", True, None, None, None))
            config[name] = draw(st.sampled_from([v for v in (low, high) if v is not None] + VALUES))
    return schema, config


def shown(spec):
    kind, required, low, high, choices = spec
    parts = [repr(kind)] + (["required=False"] if not required else [])
    parts += [f"min={low!r}"] if low is not None else []
    parts += [f"max={high!r}"] if high is not None else []
    parts += [f"choices={choices!r}"] if choices is not None else []
    return f"Field({', '.join(parts)})"


@pytest.mark.task(1)
@pytest.mark.points(2)
@grading_settings(max_examples=120)
@given(case=cases())
def test_validate_follows_the_rules_on_any_schema(cfg, case):
    spec, config = case
    schema = {name: cfg.Field(kind, required=required, min=low, max=high, choices=choices)
              for name, (kind, required, low, high, choices) in spec.items()}
    before = copy.deepcopy(config)
    problems = cfg.validate(config, schema)
    text = "{" + ", ".join(f"{k!r}: {shown(v)}" for k, v in spec.items()) + "}"
    got = problem_keys(problems) if isinstance(problems, list) else problems
    if got != model_keys(config, spec):
        raise AssertionError(explain(f"settings named by validate({config!r}, {text})", got, model_keys(config, spec),
                                     "one problem per unknown key, absent required setting, wrong type, value below "
                                     "min or above max (both inclusive, and a bound of 0 is a bound), or value outside "
                                     "the choices"))
    if config != before:
        raise AssertionError(explain(f"the config after validate({before!r}, {text})", config, before,
                                     "validate never changes its input"))
