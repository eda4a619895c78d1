"""Task 6: client sessions. A session writes through the primary and reads from the replica;
against a lagging replica every read keeps read-your-writes and monotonic reads (checked at every
read, against the primary's order of the writes), and reads still complete within max_wait."""

import pytest

from sysdesign.messages import expect_equal, expect_true, explain

pytestmark = pytest.mark.task(6)

HEARTBEAT, FAILOVER = 0.1, 10.0
OPTIONS = {"heartbeat_interval": HEARTBEAT, "failover_timeout": FAILOVER}
MAX_WAIT = 0.5


class Conn:
    """What ``connect(name)`` hands the session: the node's current Replica, reached as that
    node; counts the reads each node serves."""

    def __init__(self, client, name):
        self._client, self._name = client, name
        self._node = client.cluster[name]
        self._app = self._node.app

    @property
    def index(self):
        return self._app.index

    @property
    def role(self):
        return self._app.role

    def get(self, key):
        self._client.served[self._name] += 1
        return self._app.get(key)

    def put(self, key, value, done, write_id=None):
        return self._node.execute(lambda: self._app.put(key, value, done, write_id=write_id))


class Client:
    """A session over ``pair`` and its oracle: the order in which the primary acknowledged the
    writes of each key (async mode: the order it applied them), the session's own last write and
    last read of each key. Every ``get`` is checked against both guarantees as it returns."""

    def __init__(self, cluster, pair, replication, max_wait=MAX_WAIT, replicas=("db-2",)):
        self.cluster, self.pair = cluster, pair
        self.served = {"db-1": 0, "db-2": 0}
        self.order: dict[str, list] = {}       # key -> values in the primary's order
        self.wrote: dict[str, int] = {}        # key -> position of the session's last acknowledged write
        self.read: dict[str, int] = {}         # key -> position of the newest value a read returned
        self.story: list[str] = []
        self.max_wait = max_wait
        self.call = f"Session(connect, 'db-1', {list(replicas)}, max_wait={max_wait})"
        self.session = replication.Session(self.connect, "db-1", list(replicas), max_wait=max_wait)
        self.others = 0

    def connect(self, name):
        node = self.cluster[name]
        return None if node.status != "up" or node.app is None else Conn(self, name)

    def _acked(self, key, value):
        self.order.setdefault(key, []).append(value)
        return len(self.order[key]) - 1

    def other_write(self, key):
        """Another client's write, straight to the primary."""
        self.others += 1
        value = f"o{self.others}"
        if self.pair.put("db-1", key, value).ok:  # async: acknowledged (and applied) at once
            self._acked(key, value)

    def put(self, key, value):
        result = []

        def done(ok):
            result.append(ok)
            if ok:
                self.wrote[key] = self._acked(key, value)

        self.session.put(key, value, done)
        self.story.append(f"t={self.cluster.now():.3f} put({key!r}, {value!r})")
        expect_equal(f"{self.call}.put({key!r}, {value!r}, done) on an async primary: done(ok) calls", result, [True],
                     why="an async primary acknowledges at once; the session passes its answer on, once")

    def get(self, key):
        start = self.cluster.now()
        value = self.session.get(key)
        took = self.cluster.now() - start
        call = f"session.get({key!r}) at t={start:.3f}"
        after = "; ".join(self.story[-6:]) or "nothing"
        self.story.append(f"t={start:.3f} get({key!r}) -> {value!r}")
        history = self.order.get(key, [])
        if value is not None and value not in history:
            raise AssertionError(explain(f"{call} (after {after})", value, f"one of {history} or None",
                                         "a read returns a value that was written"))
        pos = -1 if value is None else history.index(value)
        if key in self.wrote and pos < self.wrote[key]:
            mine = history[self.wrote[key]]
            raise AssertionError(explain(
                f"{call} (after {after})", value, f"{mine!r} or a newer value ({history[self.wrote[key]:]})",
                f"read-your-writes: the session's put({key!r}, {mine!r}) was acknowledged, so its reads of "
                f"{key!r} must reflect it; a replica that has not applied it must not serve the read"))
        if key in self.read and pos < self.read[key]:
            seen = history[self.read[key]]
            raise AssertionError(explain(
                f"{call} (after {after})", value, f"{seen!r} or a newer value ({history[self.read[key]:]})",
                f"monotonic reads: an earlier read of the session returned {seen!r}, so a later read must not "
                "go back to an older value (remember what the session read, not only what it wrote)"))
        self.read[key] = max(self.read.get(key, -1), pos)
        if took > self.max_wait + 1e-9:
            raise AssertionError(explain(f"{call}: time until it returned (after {after})", f"{took:.3f} s",
                                         f"<= max_wait = {self.max_wait} s",
                                         "a read waits at most max_wait for a replica to catch up, then reads "
                                         "from a node that has what the session needs"))
        return value


@pytest.fixture
def client(cluster, make_pair, replication):
    pair = make_pair(cluster, "async", **OPTIONS)
    cluster.run_for(1.0)
    return Client(cluster, pair, replication)


@pytest.mark.parametrize("replicas", [["db-2"], []])
def test_smallest_valid_settings_are_accepted(cluster, make_pair, replication, replicas):
    pair = make_pair(cluster, "async", **OPTIONS)
    cluster.run_for(1.0)
    call = f"Session(connect, 'db-1', {replicas}, max_wait=0)"
    try:
        client = Client(cluster, pair, replication, max_wait=0, replicas=replicas)
    except ValueError as exc:
        raise AssertionError(explain(call, f"ValueError: {exc}", "accepted",
                                     "max_wait=0 is valid (never wait: read from a node that has what the session "
                                     "needs at once), and so is an empty list of replicas")) from None
    cluster.set_link("db-1", "db-2", latency=0.3)  # the replica lags behind the session's writes
    for i in range(3):
        client.put("k", f"v{i}")
        client.get("k")  # checked: read-your-writes, at once
        cluster.run_for(0.05)


def test_a_negative_max_wait_is_refused(cluster, make_pair, replication):
    make_pair(cluster, "async", **OPTIONS)
    connect = lambda name: None  # noqa: E731
    with pytest.raises(ValueError):
        replication.Session(connect, "db-1", ["db-2"], max_wait=-0.001)
        pytest.fail("Session(connect, 'db-1', ['db-2'], max_wait=-0.001) should raise ValueError")


@pytest.mark.points(2)
def test_reads_go_to_a_replica_that_has_caught_up(cluster, client):
    expect_equal("a new session's get('k') on a new pair (nothing written yet)", client.get("k"), None,
                 why="an absent key reads as None; the replica has everything a new session needs")
    for i in range(3):
        client.other_write(f"x{i}")
        client.put("k", f"v{i}")
        cluster.run_for(0.5)  # the replica catches up: it holds exactly what the session wrote
        for _ in range(2):
            client.get("k")
    expect_equal("reads served by each node, 7 session reads, each after the replica caught up with the session's "
                 "writes", client.served, {"db-1": 0, "db-2": 7},
                 why="a replica that has applied everything the session needs (its index equals the session's last "
                 "write) serves the read: reads from replicas are what take load off the primary")


@pytest.mark.points(2)
def test_read_your_writes_against_a_lagging_replica(cluster, client):
    cluster.set_link("db-1", "db-2", latency=0.3)  # snapshots reach the replica 0.3 s late
    for i in range(6):
        client.put("k", f"v{i}")
        client.get("k")  # the replica is exactly one write behind here
        client.get("k")
        cluster.run_for(0.07)
    cluster.reset_links()
    cluster.run_for(1.0)
    client.get("k")
    expect_true(client.served["db-2"] >= 1, "reads served by db-2 once it caught up", got=client.served, expected="db-2 >= 1",
                why="a replica that has caught up serves the session's reads")


@pytest.mark.points(2)
def test_monotonic_reads_after_a_read_from_a_node_further_ahead(cluster, client):
    # Another client writes the hot key every 50 ms; the replica's link is slower than max_wait.
    def others():
        client.other_write("hot")
        cluster.after(0.05, others)

    cluster.after(0.0, others)
    cluster.run_for(0.5)
    cluster.set_link("db-1", "db-2", latency=0.7)
    cluster.run_for(1.0)
    for i in range(4):
        client.put("mine", f"m{i}")  # the replica needs 0.7 s to see it: longer than max_wait
        for pause in (0.0, 0.3, 0.0, 0.5, 0.0, 0.1):
            cluster.run_for(pause)
            client.get("hot")
            client.get("mine")


@pytest.mark.points(2)
def test_reads_complete_while_the_replica_is_cut_off_or_down(cluster, client):
    def others():
        client.other_write("hot")
        cluster.after(0.1, others)

    cluster.after(0.0, others)
    cluster.run_for(0.5)
    for fault in ("partition", "crash"):
        if fault == "partition":
            cut = cluster.partition(["db-1"], ["db-2"])
        else:
            cluster.crash("db-2")
        for i in range(3):
            client.put("mine", f"{fault}-{i}")
            client.get("mine")  # checked: read-your-writes, within max_wait
            client.get("hot")
            cluster.run_for(0.2)
        if fault == "partition":
            cut.heal()
        else:
            cluster.restart("db-2")
        cluster.run_for(1.0)  # the replica catches up
        before = client.served["db-2"]
        client.get("mine")
        client.get("hot")
        expect_equal(f"reads served by db-2 once it caught up after the {fault}", client.served["db-2"] - before, 2,
                     why="a replica that has applied everything the session needs serves its reads again")


@pytest.mark.points(2)
def test_with_the_primary_down_a_read_no_node_can_serve_is_refused(cluster, client, replication):
    client.put("old", "o")
    cluster.run_for(1.0)
    cluster.partition(["db-1"], ["db-2"])
    client.put("new", "n")  # the replica never gets it
    cluster.crash("db-1")
    start = cluster.now()
    try:
        value = client.session.get("new")
    except TimeoutError:
        value = "TimeoutError"
    took = cluster.now() - start
    expect_equal("session.get('new') with the primary down and the replica behind the session's put('new', 'n')",
                 value, "TimeoutError",
                 why="read-your-writes: no node that is up has the session's write, so the read is refused rather than "
                 "answered with an older value")
    expect_true(took <= MAX_WAIT + 1e-9, "time until session.get('new') raised", got=f"{took:.3f} s",
                expected=f"<= max_wait = {MAX_WAIT} s", why="a read waits at most max_wait")
    refused = []
    client.session.put("other", 1, refused.append)
    expect_equal("session.put('other', 1, done) with the primary down: done(ok) calls", refused, [False],
                 why="the write goes through the primary; with the primary down it fails at once")
    fresh = Client(cluster, client.pair, replication)
    fresh.order = client.order
    expect_equal("a new session's get('old') with the primary down", fresh.get("old"), "o",
                 why="a replica that has everything the session needs serves reads while the primary is down")


class LogNeverBack:
    """Async mode, no failover: a node's ``index`` never decreases while it counts itself in
    sync, across crashes and restarts too (its state is saved before it confirms anything); only
    a lost disk starts it again from nothing, not in sync. A replica whose log went back would
    make a session that read from it wait for what it had already shown."""

    def __init__(self):
        self.high: dict[str, tuple[int, float]] = {}

    def __call__(self, cluster):
        for name in ("db-1", "db-2"):
            app = cluster[name].app
            if app is None:
                continue
            if not app.in_sync:
                self.high.pop(name, None)
                continue
            index = app.index
            before, since = self.high.get(name, (0, 0.0))
            if not isinstance(index, int) or index < before:
                raise AssertionError(explain(
                    f"{name}.index at t={cluster.now():.6f} ({name} is {app.role}, in_sync)", index,
                    f">= {before}, its index at t={since:.6f}",
                    "invariant: a node's applied log never moves backwards (async, no failover): every change is "
                    "saved before it is confirmed, and a restarted node reloads it"))
            if index > before or name not in self.high:
                self.high[name] = (index, cluster.now())


@pytest.mark.points(3)
def test_session_guarantees_hold_under_a_drawn_schedule_of_lag_and_faults(run_cluster_seeds, make_pair,
                                                                           replication):
    def scenario(cluster):
        pair = make_pair(cluster, "async", **OPTIONS)
        cluster.run_for(1.0)
        client = Client(cluster, pair, replication)
        rng = cluster.random("schedule")
        cluster.add_invariant("an in-sync node's applied log never moves backwards", LogNeverBack())

        def others():
            client.other_write(rng.choice(["hot", "mine"]))
            cluster.after(rng.uniform(0.02, 0.2), others)

        cluster.after(0.0, others)
        plan = []
        for phase in range(6):
            fault = rng.choice(["none", "slow", "slow-back", "partition", "crash", "lose_disk"])
            plan.append(f"t={cluster.now():.2f} {fault}")
            if fault == "slow":
                cluster.set_link("db-1", "db-2", latency=rng.uniform(0.2, 1.2), both_ways=False)
            elif fault == "slow-back":
                cluster.set_link("db-1", "db-2", latency=rng.uniform(0.2, 1.2))
            elif fault == "partition":
                cluster.partition(["db-1"], ["db-2"])
            elif fault in ("crash", "lose_disk"):
                cluster.fault(fault, "db-2")
            end = cluster.now() + rng.uniform(0.5, 2.0)
            i = 0
            while cluster.now() < end:
                i += 1
                if rng.random() < 0.4:
                    client.put(rng.choice(["hot", "mine"]), f"s{phase}.{i}")
                else:
                    client.get(rng.choice(["hot", "mine"]))  # checked: both guarantees, within max_wait
                cluster.run_for(rng.choice([0.0, 0.05, rng.uniform(0.0, 0.4)]))
            cluster.heal()
            cluster.reset_links()
            if cluster["db-2"].status == "down":
                cluster.restart("db-2")
        cluster.run_for(2.0)  # quiet: what was sent over a slow link (up to 1.2 s) arrives, the replica catches up
        before = client.served["db-2"]
        for key in ("hot", "mine"):
            client.get(key)
        expect_equal(f"reads served by db-2 once it caught up, after the schedule {plan}",
                     client.served["db-2"] - before, 2,
                     why="a replica that has applied everything the session needs serves the session's reads")
        behind.append(client.served["db-1"])

    behind: list[int] = []
    run_cluster_seeds(scenario, n=6)
    if len(behind) == 6:  # all seeds ran (not a replay of one)
        expect_true(sum(behind) > 0, "reads served by the primary over 6 drawn schedules", got=behind, expected="some",
                    why="the schedules must make the replica lag behind a session (a check of the suite itself)")
