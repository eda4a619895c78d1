"""Fixtures for the configuration suite: the schema the tests use, an oracle for it, the
cross-process rollout check, and a cluster with a config store node and watching servers."""

from __future__ import annotations

import time

import pytest

from sysdesign.messages import explain


@pytest.fixture
def cfg(impl):
    """The active implementation of exercises/configuration.py."""
    return impl("configuration")


def make_schema(cfg):
    """The schema most tests use, built from the module's own ``Field``."""
    F = cfg.Field
    return {
        "max_connections": F("int", min=1, max=10_000),
        "timeout_s": F("float", min=0.1, max=60),
        "log_level": F("str", required=False, default="info", choices=("debug", "info", "error")),
        "regions": F("list[str]", choices=("eu", "us", "asia")),
        "maintenance": F("bool", required=False, default=False),
        "checkout_percent": F("float", required=False, default=0.0, min=0, max=100),
    }


@pytest.fixture
def schema(cfg):
    return make_schema(cfg)


def good(n: int = 1, **changes):
    """A valid, complete config (every setting present, so no default is involved)."""
    config = {"max_connections": 100 * n, "timeout_s": 1.5, "log_level": "info", "regions": ["eu", "us"],
              "maintenance": False, "checkout_percent": 0.0}
    config.update(changes)
    return config


# -- the oracle: what validate must find, written independently of any implementation ------------
ORACLE_SPEC = {
    "max_connections": ("int", True, 1, 10_000, None),
    "timeout_s": ("float", True, 0.1, 60, None),
    "log_level": ("str", False, None, None, ("debug", "info", "error")),
    "regions": ("list[str]", True, None, None, ("eu", "us", "asia")),
    "maintenance": ("bool", False, None, None, None),
    "checkout_percent": ("float", False, 0, 100, None),
}


def oracle_problem_keys(config) -> list[str]:
    """The setting named by each problem ``validate`` must report, sorted (a multiset)."""
    keys = [k for k in config if k not in ORACLE_SPEC]
    for key, (kind, required, low, high, choices) in ORACLE_SPEC.items():
        if key not in config:
            if required:
                keys.append(key)
            continue
        value = config[key]
        is_num = isinstance(value, (int, float)) and not isinstance(value, bool)
        ok = {"int": isinstance(value, int) and not isinstance(value, bool), "float": is_num,
              "str": isinstance(value, str), "bool": isinstance(value, bool),
              "list[str]": isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)}[kind]
        if not ok:
            keys.append(key)
            continue
        if low is not None and value < low:
            keys.append(key)
        if high is not None and value > high:
            keys.append(key)
        if choices is not None:
            items = value if kind == "list[str]" else [value]
            if any(v not in choices for v in items):
                keys.append(key)
    return sorted(keys)


def problem_keys(problems) -> list[str]:
    """The setting each problem names (the text before the first colon), sorted."""
    return sorted(str(p).split(":", 1)[0].strip() for p in problems)


# -- the same rollout buckets in every process ----------------------------------------------------
ROLLOUT_USERS = [f"user-{i}" for i in range(400)]

_SNIPPET = f"""
users = {ROLLOUT_USERS!r}
def attempt(fn):
    try:
        return fn()
    except BaseException as exc:
        return "error: " + type(exc).__name__
result = {{
    "buckets": attempt(lambda: [m.rollout_bucket(u, "checkout") for u in users]),
    "in_10": attempt(lambda: [m.in_rollout(u, 10, "checkout") for u in users]),
}}
"""


@pytest.fixture(scope="session", autouse=True)
def _fresh_interpreters(impl):
    """Start two child interpreters (different hash salts) with the first test of the suite."""
    from sysdesign.interpreters import FreshInterpreters

    children = FreshInterpreters(impl("configuration").__file__, _SNIPPET, hashseeds=(1, 2))
    yield children
    children.close()


@pytest.fixture(scope="session")
def other_processes(_fresh_interpreters):
    """``{hashseed: {"buckets": [...], "in_10": [...]}}`` computed in fresh interpreters."""
    return _fresh_interpreters.results()


# -- the cluster: a store node and servers that watch it ------------------------------------------
POLL = 1.0
WATCH_DELAY = POLL + 0.1


class ConfigCluster:
    """Node ``config`` runs ``StoreHost(node, ConfigStore(schema))``; nodes ``s1..sN`` run
    ``ConfigWatcher(node, "config", poll_interval=POLL)``. The suite records every version each
    server applies (one list per incarnation) and the time the store accepted each version.
    An admin HTTP front on ``config``: ``PUT /config`` (headers X-User, X-Role; JSON body) answers
    201 ``{"version": n}``, 403, or 422 ``{"problems": [...]}``; ``POST /rollback/<n>`` likewise."""

    def __init__(self, cluster, cfg, servers: int = 4, poll: float = POLL) -> None:
        self.cluster, self.cfg, self.poll = cluster, cfg, poll
        self.schema = make_schema(cfg)
        self.names = [f"s{i}" for i in range(1, servers + 1)]
        self.runs: dict[str, list[list[tuple[float, int, dict]]]] = {n: [] for n in self.names}
        self.accepted_at: dict[int, float] = {}
        self.http_times: list[float] = []
        self.store_node = cluster.add_node("config", start=lambda node: cfg.StoreHost(node, cfg.ConfigStore(self.schema)))
        self.store_node.route("PUT", "/config", self._http_put)
        self.store_node.route("POST", "/rollback/<version>", self._http_rollback)
        for name in self.names:
            cluster.add_node(name, start=self._start_server)

    # wiring ------------------------------------------------------------------------------------
    def _start_server(self, node):
        run: list[tuple[float, int, dict]] = []
        self.runs[node.name].append(run)

        def record(version, config):
            run.append((self.cluster.now(), version, config))

        return self.cfg.ConfigWatcher(node, "config", poll_interval=self.poll, on_apply=record)

    @property
    def store(self):
        return self.store_node.app.store

    def _note_accepted(self, before: int) -> None:
        for v in range(before + 1, self.store.latest + 1):
            self.accepted_at.setdefault(v, self.cluster.now())

    def _write(self, action, *args, user: str, role: str):
        before = self.store.latest
        try:
            return action(*args, user=user, role=role)
        finally:
            self._note_accepted(before)

    def put(self, config, user: str = "ada", role: str = "admin") -> int:
        """``store.put`` run as the store node; exceptions propagate."""
        return self.store_node.execute(lambda: self._write(self.store.put, config, user=user, role=role))

    def rollback(self, version: int, user: str = "ada", role: str = "admin") -> int:
        return self.store_node.execute(lambda: self._write(self.store.rollback, version, user=user, role=role))

    def _http_write(self, req, action, *args):
        self.http_times.append(time.time())
        user, role = req.headers.get("X-User", ""), req.headers.get("X-Role", "")
        try:
            version = self._write(action, *args, user=user, role=role)
        except PermissionError as exc:
            return 403, {"error": str(exc)}
        except self.cfg.ConfigError as exc:
            return 422, {"problems": [str(p) for p in exc.problems]}
        except KeyError as exc:
            return 404, {"error": repr(exc)}
        return 201, {"version": version}

    def _http_put(self, req):
        return self._http_write(req, self.store.put, req.json())

    def _http_rollback(self, req):
        return self._http_write(req, self.store.rollback, int(req.params["version"]))

    # reading -----------------------------------------------------------------------------------
    def applied(self, name: str) -> list[int]:
        """Versions the server's current incarnation applied, in order."""
        runs = self.runs[name]
        return [v for _, v, _ in runs[-1]] if runs else []

    def current(self, name: str) -> int:
        applied = self.applied(name)
        return applied[-1] if applied else 0

    def all_at(self, version: int) -> bool:
        return all(self.current(n) >= version for n in self.names if self.cluster[n].status == "up")

    def wait_all_at(self, version: int, within: float = WATCH_DELAY) -> bool:
        return self.cluster.run_until(lambda: self.all_at(version), timeout=within)

    def check_in_order(self) -> None:
        """Invariant: every incarnation of every server applied 1, 2, 3... with no gap or repeat,
        each with the content the store accepted."""
        history = {v.number: v.config for v in self.store.history()}
        for name in self.names:
            for index, run in enumerate(self.runs[name]):
                versions = [v for _, v, _ in run]
                if versions != list(range(1, len(versions) + 1)):
                    raise AssertionError(explain(
                        f"versions applied by {name} (incarnation {index + 1}), in order", versions,
                        list(range(1, len(versions) + 1)),
                        "invariant: every server applies every version, in order, once each (a gap is a "
                        "version it skipped, a repeat a version applied twice)"))
                for _, v, config in run:
                    if config != history.get(v):
                        raise AssertionError(explain(
                            f"config {name} applied as version {v}", config, history.get(v),
                            "invariant: a server applies exactly the content the store accepted"))


    # invariant, checked after every event ------------------------------------------------------
    APPLIED_IN_ORDER = "each server applies every version in order, and its version and config match the last one"

    def guard(self) -> None:
        """From now on, after every event: each running server's applies so far are 1, 2, 3...
        with the content the store accepted, and its watcher's ``version``, ``config`` and
        ``applied`` describe the last of them (a reader never sees a new config under an old
        version)."""
        wanted, marker = set(self.names), [None]

        def touched():  # servers that ran code or suffered a fault since the last look (from the trace)
            events = self.cluster.trace.events
            if not events or events[-1] is marker[0]:
                return []
            found = set()
            for event in reversed(events):
                if event is marker[0]:
                    break
                if event[1] in ("recv", "timer", "task", "fault") and event[2] in wanted:
                    found.add(event[2])
            marker[0] = events[-1]
            return sorted(found)

        def check(_cluster):
            for name in touched():
                node = self.cluster[name]
                runs = self.runs[name]
                if node.app is None or not runs:
                    continue
                run = runs[-1]
                watcher = node.app
                versions = [v for _, v, _ in run]
                if versions != list(range(1, len(versions) + 1)):
                    return explain(f"versions applied by {name} so far (incarnation {len(runs)})", versions,
                                   list(range(1, len(versions) + 1)), f"invariant: {self.APPLIED_IN_ORDER}")
                last = run[-1][1] if run else 0
                config = run[-1][2] if run else None
                got = (watcher.version, watcher.config, list(watcher.applied))
                if got != (last, config, versions):
                    return explain(f"{name}'s ConfigWatcher (version, config, applied) right after the event below",
                                   got, (last, config, versions),
                                   f"invariant: {self.APPLIED_IN_ORDER}: applying version v sets version = v, "
                                   "config = its copy and appends v, before on_apply, all in the same step")
                if run and config != self.store_config(last):
                    return explain(f"config {name} applied as version {last}", config, self.store_config(last),
                                   "invariant: a server applies exactly the content the store accepted")
            return None

        self.cluster.add_invariant(self.APPLIED_IN_ORDER, check)

    def store_config(self, version: int):
        for v in self.store.history():
            if v.number == version:
                return v.config
        return None


@pytest.fixture
def config_cluster(cluster, cfg):
    """``config_cluster(servers=4)``: a :class:`ConfigCluster` on this test's cluster, its
    servers checked after every event (:meth:`ConfigCluster.guard`)."""

    def make(servers=4, poll=POLL):
        built = ConfigCluster(cluster, cfg, servers, poll)
        built.guard()
        return built

    return make
