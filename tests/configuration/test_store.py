"""Tasks 3-5: the dynamic store: versions, admin-only writes, validation first, watchers, the
audit log and rollback. Driven directly, on the virtual clock."""

from __future__ import annotations

import pytest

from sysdesign.messages import expect_equal, expect_true

from .conftest import good, problem_keys

NON_ADMINS = ["viewer", "editor", "Admin", "administrator", "", "admin "]


def fields(version):
    return (version.number, version.config, version.author, version.time, version.rollback_of)


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_versions_count_from_one(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    expect_equal("ConfigStore(schema).latest", store.latest, 0, why="an empty store is at version 0")
    expect_equal("ConfigStore(schema).history()", store.history(), [], why="nothing accepted yet")
    t0 = clock.time()
    numbers = []
    for n in (1, 2, 3):
        numbers.append(store.put(good(n), user=f"admin-{n}", role="admin"))
        clock.tick(2.5)
    expect_equal("put(...) three times", numbers, [1, 2, 3], why="each accepted config gets the next number")
    expect_equal("store.latest", store.latest, 3)
    expect_equal("store.get()", store.get(), good(3), why="the latest version's config")
    expect_equal("store.get(2)", store.get(2), good(2), why="any version stays readable")
    expect_equal("[fields of v for v in store.history()]", [fields(v) for v in store.history()],
                 [(n, good(n), f"admin-{n}", t0 + 2.5 * (n - 1), None) for n in (1, 2, 3)],
                 why="number, config, author, time.time() when accepted, rollback_of=None")
    expect_equal("[v.number for v in store.changes_since(1)]", [v.number for v in store.changes_since(1)], [2, 3],
                 why="the versions after 1, oldest first")
    expect_equal("store.changes_since(3)", store.changes_since(3), [], why="nothing after the latest")
    expect_equal("[v.number for v in store.changes_since(0)]", [v.number for v in store.changes_since(0)], [1, 2, 3])


@pytest.mark.task(3)
def test_get_of_a_missing_version(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    with pytest.raises(LookupError):
        store.get()
    store.put(good(), user="ada", role="admin")
    for missing in (0, 2, 99, -1):
        with pytest.raises(KeyError):
            store.get(missing)


@pytest.mark.task(3)
def test_defaults_are_filled_in_and_copies_handed_out(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    mine = {"max_connections": 5, "timeout_s": 1, "regions": ["eu"]}
    store.put(mine, user="ada", role="admin")
    full = {"max_connections": 5, "timeout_s": 1, "regions": ["eu"], "log_level": "info", "maintenance": False,
            "checkout_percent": 0.0}
    expect_equal("store.get() after put of a config without its optional settings", store.get(), full,
                 why="the stored version is complete: every absent optional setting takes its default")
    mine["max_connections"] = 6
    mine["regions"].append("us")
    got = store.get()
    got["timeout_s"] = 99
    got["regions"].append("asia")
    store.history()[0].config["max_connections"] = 7
    expect_equal("store.get() after changing the dict given to put, the one get returned, and history()[0].config",
                 store.get(), full, why="the store hands out and keeps copies, so nobody can edit a version behind its back")


@pytest.mark.task(3)
@pytest.mark.points(3)
def test_a_bad_config_is_refused_before_anyone_sees_it(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    heard = []
    store.watch(lambda version: heard.append((version.number, version.config)))
    store.put(good(1), user="ada", role="admin")
    for bad, keys in ((good(max_connections=0), ["max_connections"]), ({**good(), "tmeout": 3}, ["tmeout"]),
                      ({"timeout_s": "1", "regions": ["mars"]}, ["max_connections", "regions", "timeout_s"])):
        with pytest.raises(cfg.ConfigError) as caught:
            store.put(bad, user="ada", role="admin")
        expect_equal(f"settings named by ConfigError.problems from put({bad!r})", problem_keys(caught.value.problems),
                     keys, why="every problem validate finds")
        expect_equal(f"(latest, len(history())) after the refused put({bad!r})", (store.latest, len(store.history())),
                     (1, 1), why="a refused config is never stored")
        expect_equal(f"what the watcher heard after the refused put({bad!r})", heard, [(1, good(1))],
                     why="validation comes before anything is stored or announced: no server may ever see a bad config")
    expect_equal("put(good(2)) after three refused puts", store.put(good(2), user="ada", role="admin"), 2,
                 why="a refused write uses up no version number")
    expect_equal("what the watcher heard", heard, [(1, good(1)), (2, good(2))], why="every accepted version, in order")


@pytest.mark.task(3)
@pytest.mark.points(2)
def test_only_the_admin_role_writes(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    heard = []
    store.watch(heard.append)
    for role in NON_ADMINS:
        with pytest.raises(PermissionError):
            store.put(good(), user="mallory", role=role)
    with pytest.raises(PermissionError):
        store.put(good(max_connections=0), user="mallory", role="viewer")
    expect_equal("(latest, heard) after non-admin puts", (store.latest, heard), (0, []),
                 why=f"only role {cfg.ADMIN!r} (compared exactly) may write; the role is checked before the content")
    expect_equal("put(good(), role='admin')", store.put(good(), user="ada", role="admin"), 1)


@pytest.mark.task(3)
def test_watchers_hear_every_version_in_order(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    store.put(good(1), user="ada", role="admin")
    first, second = [], []
    store.watch(lambda v: first.append(v.number))
    store.watch(lambda v: second.append((v.number, v.author)))
    for n in (2, 3, 4):
        store.put(good(n), user="bob", role="admin")
    expect_equal("versions the first watcher heard (registered after version 1)", first, [2, 3, 4],
                 why="a watcher hears each accepted version from then on, in order")
    expect_equal("what the second watcher heard", second, [(2, "bob"), (3, "bob"), (4, "bob")])


@pytest.mark.task(4)
@pytest.mark.points(2)
def test_the_audit_log_records_every_attempt(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    t0 = clock.time()
    store.put(good(1), user="ada", role="admin")
    clock.tick(1)
    with pytest.raises(PermissionError):
        store.put(good(2), user="mallory", role="viewer")
    clock.tick(1)
    with pytest.raises(cfg.ConfigError):
        store.put(good(max_connections=-1), user="ada", role="admin")
    clock.tick(1)
    store.put(good(2), user="bob", role="admin")
    got = [(e.time - t0, e.user, e.role, e.action, e.version, e.accepted, e.target) for e in store.audit]
    expect_equal("(time, user, role, action, version, accepted, target) of each audit entry", got, [
        (0, "ada", "admin", "put", 1, True, None),
        (1, "mallory", "viewer", "put", None, False, None),
        (2, "ada", "admin", "put", None, False, None),
        (3, "bob", "admin", "put", 2, True, None),
    ], why="every attempt, refused ones included, with who, when (time.time()), what, and the outcome")
    reasons = [(e.accepted, bool(e.reason)) for e in store.audit]
    expect_equal("(accepted, reason given) for each entry", reasons,
                 [(a, not a) for a, _ in reasons], why="a refused attempt says why; an accepted one has reason ''")


@pytest.mark.task(5)
@pytest.mark.points(2)
def test_every_rollback_attempt_is_audited_with_its_target(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    store.put(good(1), user="ada", role="admin")
    store.put(good(2), user="bob", role="admin")
    t0 = clock.time()
    clock.tick(1)
    with pytest.raises(PermissionError):
        store.rollback(1, user="mallory", role="editor")
    clock.tick(1)
    with pytest.raises(KeyError):
        store.rollback(7, user="ada", role="admin")
    clock.tick(1)
    store.rollback(1, user="ada", role="admin")
    got = [(e.time - t0, e.user, e.role, e.action, e.version, e.accepted, e.target) for e in store.audit[2:]]
    expect_equal("(time, user, role, action, version, accepted, target) of the audit entries after two puts", got, [
        (1, "mallory", "editor", "rollback", None, False, 1),
        (2, "ada", "admin", "rollback", None, False, 7),
        (3, "ada", "admin", "rollback", 3, True, 1),
    ], why="a rollback is audited like a put, refused or not, with target = the version asked for")
    reasons = [(e.accepted, bool(e.reason)) for e in store.audit[2:]]
    expect_equal("(accepted, reason given) for each rollback entry", reasons,
                 [(a, not a) for a, _ in reasons], why="a refused attempt says why; an accepted one has reason ''")


@pytest.mark.task(5)
@pytest.mark.points(3)
def test_rollback_is_a_new_version_and_forgets_nothing(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    heard = []
    store.watch(lambda v: heard.append((v.number, v.rollback_of)))
    for n in (1, 2, 3):
        store.put(good(n), user="ada", role="admin")
    clock.tick(10)
    number = store.rollback(1, user="bob", role="admin")
    expect_equal("rollback(1) after versions 1..3", number, 4,
                 why="a rollback is a new version: servers only ever move forward")
    expect_equal("store.get() after rollback(1)", store.get(), good(1), why="the content of version 1 is current again")
    expect_equal("[(number, config, rollback_of) for v in history()]",
                 [(v.number, v.config, v.rollback_of) for v in store.history()],
                 [(1, good(1), None), (2, good(2), None), (3, good(3), None), (4, good(1), 1)],
                 why="versions 2 and 3 stay in the history (the post-mortem needs them); the new one says what it restores")
    expect_equal("author and time of version 4", (store.history()[3].author, store.history()[3].time),
                 ("bob", clock.time()))
    expect_equal("what the watcher heard", heard, [(1, None), (2, None), (3, None), (4, 1)],
                 why="watchers hear of a rollback as of any other version")
    expect_equal("rollback(4) then put(good(5))",
                 (store.rollback(4, user="ada", role="admin"), store.put(good(5), user="ada", role="admin")), (5, 6),
                 why="numbers keep growing")


@pytest.mark.task(5)
def test_refused_rollbacks_change_nothing(cfg, schema, clock):
    store = cfg.ConfigStore(schema)
    store.put(good(1), user="ada", role="admin")
    store.put(good(2), user="ada", role="admin")
    for role in NON_ADMINS[:3]:
        with pytest.raises(PermissionError):
            store.rollback(1, user="mallory", role=role)
    for missing in (0, 3, -1):
        with pytest.raises(KeyError):
            store.rollback(missing, user="ada", role="admin")
    expect_equal("(latest, get()) after refused rollbacks", (store.latest, store.get()), (2, good(2)),
                 why="only an admin may roll back, and only to a version that exists")
    expect_true(len(store.audit) == 2 + 3 + 3, "len(store.audit)", got=len(store.audit), expected=8,
                why="2 puts, 3 refused rollbacks by role, 3 to missing versions")
