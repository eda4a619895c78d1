"""Configuration: the settings a system reads, and how to change them safely.

A configuration is the set of parameters that shape how a system behaves without being code:
a connection limit, a timeout, the list of regions to serve, whether the new checkout page is
on. Keeping them out of the code lets the same build run in development, testing and
production, and lets an operator turn a knob without a programmer.

There are two ways to ship it:

* **Static configuration** is bundled with the code (a JSON or TOML file next to it) and read
  once at start-up. A change goes through the same review, tests and deployment as code:
  slow, but every change is checked before it reaches a user. Once loaded it never changes
  while the process runs, so no part of the program can see two different values.
* **Dynamic configuration** lives in a store the servers watch. A change reaches every server
  in seconds, with no redeployment: fast, and for the same reason dangerous, because a bad
  value also reaches every server in seconds. So dynamic configuration comes with tools
  around it, and this exercise builds the usual ones:

  - **validation** against a schema *before* a change is stored, so a bad config is rejected
    at the door and no server ever sees it (a typo in a key name is as dangerous as a wrong
    value: an unknown key is an error, not something to ignore);
  - **versions**: every accepted change gets the next version number, and nothing is ever
    rewritten, so an operator can see what changed when, and a server knows exactly how far
    behind it is;
  - **rollback** to an earlier version, which is itself a *new* version with the old
    content: servers only ever move forward, and history keeps the bad version for the
    post-mortem;
  - **access control and an audit log**: only an admin may change the config, and every
    attempt, refused ones included, is recorded with who, when, what and the outcome;
  - **staged rollout**: a new behaviour first reaches 1% of users, then 10%, then everyone.
    Which users are "in" is decided by hashing the user id into one of 10,000 buckets with a
    hash that every server computes alike (``hashlib``, never Python's ``hash()``, which is
    salted per process). A user is in when their bucket is below the percentage, so growing
    the percentage only ever adds users: someone who saw the new page at 1% still sees it at
    10%, instead of flipping back and forth between servers and stages.

Servers learn about changes in two ways at once. The store **notifies** every server it knows
when a version is accepted (fast, but a notification can be lost), and every server **polls**
the store every ``poll_interval`` seconds (slow, but it repairs whatever was lost). Either
way a server asks for *every version after the last one it applied* and applies them one by
one, in order: two changes made a millisecond apart must not collapse into one, or a server
would skip a version the others ran.

The cluster, as far as this exercise needs it
---------------------------------------------
``StoreHost`` and ``ConfigWatcher`` run on nodes of the suite's simulated cluster. Each gets its
``node`` and uses only: ``node.name``; ``node.send(dest, body)`` (a JSON-like ``body`` to the node
named ``dest``; it may be delayed, lost, duplicated or overtaken by a later one);
``node.reply(msg, body)`` (back to ``msg.src``); ``node.on_message(handler)`` (``handler(msg)``
for each message that arrives: ``msg.src`` is the sender's name, ``msg.body`` the body);
``node.every(interval, fn)`` (call ``fn()`` every ``interval`` seconds of virtual time). A
crashed node loses its objects and timers; the suite builds a new one when it restarts. Read
time with ``time.time()`` when you need it, never through a default argument. Use no threads
and no randomness.

Run ``sysdesign check configuration``.

Tasks
-----
1. ``validate``: check a config against a schema and list every problem.
2. ``load_static`` and ``StaticConfig``: parse JSON or TOML once, validate, freeze.
3. ``ConfigStore``: versions, admin-only writes, validation before anything is stored, watchers.
4. ``ConfigStore.audit``: every write attempt recorded, refused ones included.
5. ``ConfigStore.rollback``: a new version with an old content; history never rewritten.
6. ``StoreHost`` and ``ConfigWatcher``: every server applies every version, in order, and
   reaches the latest within the watch delay, over a network that loses messages.
7. ``rollout_bucket`` and ``in_rollout``: stable staged rollout by user id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

ADMIN = "admin"
"""The only role allowed to change the dynamic configuration (compared exactly)."""

BUCKETS = 10_000
"""Rollout buckets: a user falls in one of ``range(BUCKETS)``; 1% of users is 100 buckets."""

TYPES = ("int", "float", "str", "bool", "list[str]")
"""The value types a schema may ask for."""


@dataclass(frozen=True)
class Field:
    """One setting of a schema (given; nothing to implement). A schema is a dict
    ``{name: Field}``, for example::

        SCHEMA = {
            "max_connections": Field("int", min=1, max=10_000),
            "timeout_s": Field("float", min=0.1, max=60),
            "log_level": Field("str", required=False, default="info", choices=("debug", "info", "error")),
            "regions": Field("list[str]", choices=("eu", "us", "asia")),
            "new_checkout_percent": Field("float", required=False, default=0.0, min=0, max=100),
        }

    ``type``: one of ``TYPES``. ``"int"`` is an ``int`` but not a ``bool`` (``True`` is an ``int``
    in Python, and a config saying ``max_connections = true`` is a mistake); ``"float"`` is an
    ``int`` or a ``float``, not a ``bool``; ``"bool"`` is exactly ``True`` or ``False``;
    ``"list[str]"`` is a list (or tuple) whose items are all ``str``.
    ``required``: when false and the setting is absent, it takes ``default``.
    ``min`` / ``max``: inclusive bounds, for ``int`` and ``float`` settings only.
    ``choices``: the allowed values; for ``list[str]``, every item must be one of them.
    """

    type: str
    required: bool = True
    default: Any = None
    min: float | None = None
    max: float | None = None
    choices: tuple | None = None


class ConfigError(ValueError):
    """A config that cannot be accepted (given). ``problems`` lists every reason, each in the
    shape ``validate`` returns."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems) or "invalid config")


@dataclass(frozen=True)
class Version:
    """One accepted version of the dynamic config (given).

    ``number``: 1 for the first accepted config, then 2, 3, ... with no gaps. ``config``: the
    full config (defaults filled in). ``author``: the user who wrote it. ``time``: ``time.time()``
    when it was accepted. ``rollback_of``: for a version made by ``rollback(n)``, ``n``;
    otherwise ``None``.
    """

    number: int
    config: dict
    author: str
    time: float
    rollback_of: int | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One write attempt on the dynamic config, accepted or refused (given).

    ``time``: ``time.time()`` at the attempt. ``user``, ``role``: who tried. ``action``: ``"put"``
    or ``"rollback"``. ``version``: the version the attempt created, ``None`` when refused.
    ``accepted``: whether it was. ``reason``: why it was refused (any non-empty text), ``""``
    when accepted. ``target``: for a rollback, the version asked for; ``None`` for a put.
    """

    time: float
    user: str
    role: str
    action: str
    version: int | None
    accepted: bool
    reason: str = ""
    target: int | None = None


# -- task 1 ------------------------------------------------------------------------------------
def validate(config: Any, schema: Mapping[str, Field]) -> list[str]:
    """Task 1. Every problem of ``config`` against ``schema``, as a list of strings; ``[]``
    when the config is valid. Never changes ``config``.

    Each problem starts with the name of the setting and a colon (``"timeout_s: 0 is below
    the minimum 0.1"``), so a caller can tell which settings are wrong; the rest of the text
    is yours. One problem for each of:

    * a key the schema does not know (``"time_out: unknown setting"``);
    * a required setting that is absent;
    * a value of the wrong type (see ``Field``); then skip its other checks;
    * an ``int``/``float`` below ``min`` or above ``max`` (both inclusive: ``min`` itself is fine);
    * a value (or, for ``list[str]``, an item) not in ``choices``.

    A ``config`` that is not a mapping at all gives one problem starting with ``"config:"``.
    """
    raise NotImplementedError("task 1: implement validate")


# -- task 2 ------------------------------------------------------------------------------------
class StaticConfig(Mapping):
    """Task 2. A loaded configuration that cannot change: a read-only mapping.

    ``cfg["timeout_s"]``, ``len(cfg)``, ``dict(cfg)``, ``"regions" in cfg`` all work (``Mapping``
    provides everything from the three methods below). Nothing can change it afterwards:
    ``cfg["x"] = 1`` and ``del cfg["x"]`` raise ``TypeError`` (they do by themselves on a
    ``Mapping``, as long as you do not add them); changing the dict it was built from changes
    nothing; a list value is stored as a ``tuple``, so ``cfg["regions"].append(...)`` fails too.
    """

    def __init__(self, values: Mapping[str, Any]) -> None:
        """Task 2. Keep a private copy of ``values`` with every list turned into a tuple."""
        raise NotImplementedError("task 2: implement StaticConfig.__init__")

    def __getitem__(self, key: str) -> Any:
        """Task 2. The value of ``key``; ``KeyError`` when there is none."""
        raise NotImplementedError("task 2: implement StaticConfig.__getitem__")

    def __iter__(self) -> Iterator[str]:
        """Task 2. The keys."""
        raise NotImplementedError("task 2: implement StaticConfig.__iter__")

    def __len__(self) -> int:
        """Task 2. How many settings."""
        raise NotImplementedError("task 2: implement StaticConfig.__len__")


def load_static(text: str, schema: Mapping[str, Field], fmt: str = "json") -> StaticConfig:
    """Task 2. Parse ``text`` (``fmt`` is ``"json"`` or ``"toml"``: use ``json`` and ``tomllib``),
    validate it, and return it as a ``StaticConfig`` with the default of every absent optional
    setting filled in.

    Raises ``ConfigError`` listing *every* problem ``validate`` finds (not just the first), or one
    problem starting with ``"config:"`` when the text does not parse. An unknown ``fmt`` raises
    ``ValueError``. Nothing invalid is ever returned.
    """
    raise NotImplementedError("task 2: implement load_static")


# -- tasks 3-5 ---------------------------------------------------------------------------------
class ConfigStore:
    """Tasks 3-5. The dynamic configuration: versions, watchers, audit log, rollback.

    Every write says who makes it (``user``) and with which ``role``. Order of checks for a
    write: the role first (anyone but ``ADMIN`` gets ``PermissionError``, whatever they
    send), then the content. A refused write changes nothing but the audit log: no version
    number is used up, no watcher hears of it, ``latest`` and ``history()`` are as before.

    The store hands out copies: changing a dict you passed to ``put`` or got from ``get`` (or a
    ``Version``'s ``config``) never changes what the store holds.
    """

    def __init__(self, schema: Mapping[str, Field]) -> None:
        """Task 3. An empty store (``latest == 0``) whose configs must match ``schema``."""
        raise NotImplementedError("task 3: implement ConfigStore.__init__")

    @property
    def latest(self) -> int:
        """Task 3. The number of the latest version; 0 while the store is empty."""
        raise NotImplementedError("task 3: implement ConfigStore.latest")

    def put(self, config: Mapping[str, Any], *, user: str, role: str) -> int:
        """Task 3. Validate ``config`` and store it as version ``latest + 1`` (defaults filled
        in); return that number. Then call every watcher with the new ``Version``.

        ``PermissionError`` when ``role != ADMIN``; ``ConfigError`` (with every problem) when
        the config is invalid. Validation happens *before* anything is stored or announced.
        """
        raise NotImplementedError("task 3: implement ConfigStore.put")

    def get(self, version: int | None = None) -> dict[str, Any]:
        """Task 3. A copy of the config of ``version`` (default: the latest). ``KeyError`` for a
        version that does not exist; ``LookupError`` when asking for the latest of an empty
        store (``KeyError`` is a ``LookupError`` too, so either is fine there)."""
        raise NotImplementedError("task 3: implement ConfigStore.get")

    def history(self) -> list[Version]:
        """Task 3. Every accepted version, oldest first."""
        raise NotImplementedError("task 3: implement ConfigStore.history")

    def changes_since(self, version: int) -> list[Version]:
        """Task 3. The versions after ``version``, oldest first (``changes_since(0)`` is the
        whole history; ``changes_since(latest)`` is ``[]``)."""
        raise NotImplementedError("task 3: implement ConfigStore.changes_since")

    def watch(self, callback: Callable[[Version], Any]) -> None:
        """Task 3. Call ``callback(version)`` after each accepted write (put or rollback), in
        version order, from then on. Refused writes call nothing."""
        raise NotImplementedError("task 3: implement ConfigStore.watch")

    @property
    def audit(self) -> list[AuditEntry]:
        """Task 4. Every write attempt so far, oldest first, accepted and refused alike (a
        refused put, a non-admin put, a rollback to a version that does not exist...)."""
        raise NotImplementedError("task 4: implement ConfigStore.audit")

    def rollback(self, version: int, *, user: str, role: str) -> int:
        """Task 5. Make the content of ``version`` current again, as a *new* version
        ``latest + 1`` with ``rollback_of=version``; return its number. Every version stays in
        the history; watchers hear of the new one as of any other.

        ``PermissionError`` for a non-admin, ``KeyError`` for a version that does not exist;
        both are audited (action ``"rollback"``, ``target=version``).
        """
        raise NotImplementedError("task 5: implement ConfigStore.rollback")


# -- task 6 ------------------------------------------------------------------------------------
class StoreHost:
    """Task 6. Serves a ``ConfigStore`` to the servers of the cluster, from its node.

    The protocol (JSON-like bodies; the suite does not read them, your watcher does):

    * a server asks ``{"type": "fetch", "after": n}``; the host answers the sender with
      ``{"type": "versions", "latest": L, "versions": [{"version": v, "config": {...}}, ...]}``
      listing every version after ``n``, oldest first, and remembers the sender as a watcher;
    * after each accepted write, the host sends ``{"type": "notify", "version": v}`` to every
      watcher it knows.

    The suite writes through ``host.store`` (``put``, ``rollback``) from the node.
    """

    store: ConfigStore

    def __init__(self, node: Any, store: ConfigStore) -> None:
        """Task 6. Keep ``store`` as ``self.store``, handle the node's messages, and watch the
        store to send the notifications."""
        raise NotImplementedError("task 6: implement StoreHost.__init__")

    def on_message(self, msg: Any) -> None:
        """Task 6. Answer a ``fetch`` (see the class); ignore anything else."""
        raise NotImplementedError("task 6: implement StoreHost.on_message")


class ConfigWatcher:
    """Task 6. Keeps one server's copy of the dynamic config up to date.

    The contract, which the suite checks on every server under lost, duplicated and reordered
    messages and partitions:

    * **in order, every one, once**: the versions a watcher applies are exactly 1, 2, 3, ...
      with no gap and no repeat, whatever order the answers arrive in and however many copies
      of each (a watcher built after a restart starts again from version 1);
    * **the watch delay**: once its messages to and from the store get through, a server has
      applied the store's latest version within ``poll_interval + 0.1`` seconds, however many
      messages were lost before;
    * applying version ``v`` means: ``version = v``, ``config =`` a copy of its config,
      ``applied.append(v)``, then ``on_apply(v, config_copy)`` when given.

    Fetch at once when built, every ``poll_interval`` seconds after that, and whenever a
    ``notify`` announces a version newer than the one applied. Never wait for an answer
    before fetching again: an answer may never come.
    """

    version: int
    config: dict[str, Any] | None
    applied: list[int]

    def __init__(self, node: Any, store: str = "config", *, poll_interval: float = 1.0,
                 on_apply: Callable[[int, dict], Any] | None = None) -> None:
        """Task 6. Start at ``version = 0``, ``config = None``, ``applied = []``; handle the
        node's messages, poll the store node named ``store`` now and every ``poll_interval``
        seconds (``node.every``)."""
        raise NotImplementedError("task 6: implement ConfigWatcher.__init__")

    def poll(self) -> None:
        """Task 6. Ask the store for every version after ``self.version``."""
        raise NotImplementedError("task 6: implement ConfigWatcher.poll")

    def on_message(self, msg: Any) -> None:
        """Task 6. A ``notify`` newer than what is applied: fetch. A ``versions`` answer: apply,
        in order, the versions that continue exactly where ``self.version`` stands; skip the
        ones already applied."""
        raise NotImplementedError("task 6: implement ConfigWatcher.on_message")


# -- task 7 ------------------------------------------------------------------------------------
def rollout_bucket(user_id: str, salt: str = "") -> int:
    """Task 7. The bucket of ``user_id``, in ``range(BUCKETS)``: the same in every process,
    on every server, at every percentage.

    Hash ``salt`` and ``user_id`` together with ``hashlib`` (e.g. SHA-256 of
    ``f"{salt}:{user_id}"``, first 8 bytes as an integer, modulo ``BUCKETS``). The salt is the
    feature's name: two features rolled out at 10% each should reach two *different* tenths of
    the users, not the same unlucky ones twice. Never ``hash()``.
    """
    raise NotImplementedError("task 7: implement rollout_bucket")


def in_rollout(user_id: str, percent: float, salt: str = "") -> bool:
    """Task 7. Whether ``user_id`` is inside a rollout to ``percent`` % of users: exactly when
    ``rollout_bucket(user_id, salt) < round(percent * BUCKETS / 100)``. So 0% is nobody, 100%
    is everybody, and a user inside at 1% stays inside at 10% and 100%.

    ``ValueError`` when ``percent`` is outside ``[0, 100]``.
    """
    raise NotImplementedError("task 7: implement in_rollout")
