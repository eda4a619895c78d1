"""Reference solution: configuration (schema validation, static config, a versioned dynamic
store with an audit log and rollback, watchers over cluster messages, staged rollout)."""

from __future__ import annotations

import hashlib
import json
import time
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

ADMIN = "admin"
BUCKETS = 10_000
TYPES = ("int", "float", "str", "bool", "list[str]")


@dataclass(frozen=True)
class Field:
    type: str
    required: bool = True
    default: Any = None
    min: float | None = None
    max: float | None = None
    choices: tuple | None = None


class ConfigError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems) or "invalid config")


@dataclass(frozen=True)
class Version:
    number: int
    config: dict
    author: str
    time: float
    rollback_of: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    time: float
    user: str
    role: str
    action: str
    version: int | None
    accepted: bool
    reason: str = ""
    target: int | None = None


# -- task 1: validation ---------------------------------------------------------------------------
def _type_ok(kind: str, value: Any) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "float":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list[str]":
        return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)
    raise ValueError(f"unknown field type {kind!r} in the schema (known: {', '.join(TYPES)})")


def validate(config: Any, schema: Mapping[str, Field]) -> list[str]:
    if not isinstance(config, Mapping):
        return [f"config: expected an object of settings, got {type(config).__name__}"]
    problems = [f"{key}: unknown setting" for key in config if key not in schema]
    for key, spec in schema.items():
        if key not in config:
            if spec.required:
                problems.append(f"{key}: missing (required)")
            continue
        value = config[key]
        if not _type_ok(spec.type, value):
            problems.append(f"{key}: expected {spec.type}, got {type(value).__name__} {value!r}")
            continue
        if spec.type in ("int", "float"):
            if spec.min is not None and value < spec.min:
                problems.append(f"{key}: {value!r} is below the minimum {spec.min!r}")
            if spec.max is not None and value > spec.max:
                problems.append(f"{key}: {value!r} is above the maximum {spec.max!r}")
        if spec.choices is not None:
            items = value if spec.type == "list[str]" else [value]
            bad = [v for v in items if v not in spec.choices]
            if bad:
                problems.append(f"{key}: {bad[0]!r} is not one of {list(spec.choices)!r}")
    return problems


def _normalised(config: Mapping[str, Any], schema: Mapping[str, Field]) -> dict[str, Any]:
    """A private copy of a valid config, with the defaults of absent optional settings."""
    out: dict[str, Any] = {}
    for key, spec in schema.items():
        value = config[key] if key in config else spec.default
        out[key] = list(value) if isinstance(value, (list, tuple)) else value
    return out


# -- task 2: static config ------------------------------------------------------------------------
class StaticConfig(Mapping):
    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Any]) -> None:
        frozen = {k: tuple(v) if isinstance(v, (list, tuple)) else v for k, v in values.items()}
        self._values = frozen

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)



def load_static(text: str, schema: Mapping[str, Field], fmt: str = "json") -> StaticConfig:
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError([f"config: not valid JSON: {exc}"]) from None
    elif fmt == "toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError([f"config: not valid TOML: {exc}"]) from None
    else:
        raise ValueError(f"unknown config format {fmt!r}: 'json' or 'toml'")
    problems = validate(data, schema)
    if problems:
        raise ConfigError(problems)
    return StaticConfig(_normalised(data, schema))


# -- tasks 3-5: the dynamic store -----------------------------------------------------------------
def _copy_config(config: Mapping[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in config.items()}


def _copy(version: Version) -> Version:
    return Version(version.number, _copy_config(version.config), version.author, version.time, version.rollback_of)


class ConfigStore:
    def __init__(self, schema: Mapping[str, Field]) -> None:
        self.schema = dict(schema)
        self._versions: list[Version] = []
        self._audit: list[AuditEntry] = []
        self._watchers: list[Callable[[Version], Any]] = []

    @property
    def latest(self) -> int:
        return len(self._versions)

    def _refuse(self, now: float, user: str, role: str, action: str, reason: str, target: int | None = None) -> None:
        self._audit.append(AuditEntry(now, user, role, action, None, False, reason, target))

    def _check_role(self, now: float, user: str, role: str, action: str, target: int | None = None) -> None:
        if role != ADMIN:
            reason = f"role {role!r} may not change the config (only {ADMIN!r})"
            self._refuse(now, user, role, action, reason, target)
            raise PermissionError(reason)

    def _append(self, config: dict, user: str, role: str, now: float, action: str, target: int | None) -> int:
        version = Version(self.latest + 1, config, user, now, target)
        self._versions.append(version)
        self._audit.append(AuditEntry(now, user, role, action, version.number, True, "", target))
        for watcher in list(self._watchers):
            watcher(_copy(version))
        return version.number

    def put(self, config: Mapping[str, Any], *, user: str, role: str) -> int:
        now = time.time()
        self._check_role(now, user, role, "put")
        problems = validate(config, self.schema)
        if problems:
            self._refuse(now, user, role, "put", "; ".join(problems))
            raise ConfigError(problems)
        return self._append(_normalised(config, self.schema), user, role, now, "put", None)

    def rollback(self, version: int, *, user: str, role: str) -> int:
        now = time.time()
        self._check_role(now, user, role, "rollback", version)
        if not isinstance(version, int) or not 1 <= version <= self.latest:
            self._refuse(now, user, role, "rollback", f"no version {version!r}", version)
            raise KeyError(version)
        old = self._versions[version - 1]
        return self._append(_copy_config(old.config), user, role, now, "rollback", version)

    def get(self, version: int | None = None) -> dict[str, Any]:
        if version is None:
            if not self._versions:
                raise LookupError("the store has no config yet")
            version = self.latest
        if not isinstance(version, int) or not 1 <= version <= self.latest:
            raise KeyError(version)
        return _copy_config(self._versions[version - 1].config)

    def history(self) -> list[Version]:
        return [_copy(v) for v in self._versions]

    def changes_since(self, version: int) -> list[Version]:
        return [_copy(v) for v in self._versions[max(0, version):]]

    def watch(self, callback: Callable[[Version], Any]) -> None:
        self._watchers.append(callback)

    @property
    def audit(self) -> list[AuditEntry]:
        return list(self._audit)


# -- task 6: the store on a node, and the servers that watch it -----------------------------------
class StoreHost:
    def __init__(self, node: Any, store: ConfigStore) -> None:
        self.node = node
        self.store = store
        self.watchers: list[str] = []
        node.on_message(self.on_message)
        store.watch(self._changed)

    def on_message(self, msg: Any) -> None:
        body = msg.body
        if not isinstance(body, dict) or body.get("type") != "fetch":
            return
        if msg.src not in self.watchers:
            self.watchers.append(msg.src)
        changes = self.store.changes_since(int(body.get("after", 0)))
        self.node.reply(msg, {"type": "versions", "latest": self.store.latest,
                              "versions": [{"version": v.number, "config": v.config} for v in changes]})

    def _changed(self, version: Version) -> None:
        for name in self.watchers:
            self.node.send(name, {"type": "notify", "version": version.number})


class ConfigWatcher:
    def __init__(self, node: Any, store: str = "config", *, poll_interval: float = 1.0,
                 on_apply: Callable[[int, dict], Any] | None = None) -> None:
        self.node = node
        self.store = store
        self.version = 0
        self.config: dict[str, Any] | None = None
        self.applied: list[int] = []
        self.on_apply = on_apply
        node.on_message(self.on_message)
        node.every(poll_interval, self.poll)
        self.poll()

    def poll(self) -> None:
        self.node.send(self.store, {"type": "fetch", "after": self.version})

    def on_message(self, msg: Any) -> None:
        body = msg.body
        kind = body.get("type") if isinstance(body, dict) else None
        if kind == "notify":
            if body["version"] > self.version:
                self.poll()
        elif kind == "versions":
            for entry in sorted(body["versions"], key=lambda e: e["version"]):
                if entry["version"] == self.version + 1:
                    self._apply(entry["version"], entry["config"])

    def _apply(self, number: int, config: dict) -> None:
        self.version = number
        self.config = dict(config)
        self.applied.append(number)
        if self.on_apply is not None:
            self.on_apply(number, dict(config))


# -- task 7: staged rollout -----------------------------------------------------------------------
def rollout_bucket(user_id: str, salt: str = "") -> int:
    digest = hashlib.sha256(f"{salt}:{user_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def in_rollout(user_id: str, percent: float, salt: str = "") -> bool:
    if not 0 <= percent <= 100:
        raise ValueError(f"percent must be between 0 and 100, got {percent!r}")
    return rollout_bucket(user_id, salt) < round(percent * BUCKETS / 100)
