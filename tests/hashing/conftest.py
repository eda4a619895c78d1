import pytest


@pytest.fixture
def hashing(impl):
    """The active implementation of exercises/hashing.py."""
    return impl("hashing")


CROSS_KEYS = [f"item-{i}" for i in range(300)]
NODES = [f"node-{i}" for i in range(5)]

_SNIPPET = f"""
keys = {CROSS_KEYS!r}
nodes = {NODES!r}
def plain(value):
    # only names and numbers cross the process boundary (as JSON); anything else is shown by type
    return value if type(value) in (str, int) else "a " + type(value).__name__ + ", not a str or int"
def attempt(fn):
    try:
        return [plain(v) for v in fn()]
    except BaseException as exc:
        return "error: " + type(exc).__name__
result = {{
    "stable_hash": attempt(lambda: [m.stable_hash(k) for k in keys]),
    "ModHashing": attempt(lambda: [r.node_for(k) for r in [m.ModHashing(nodes)] for k in keys]),
    "ConsistentHashRing": attempt(lambda: [r.node_for(k) for r in [m.ConsistentHashRing(nodes, vnodes=50)] for k in keys]),
    "RendezvousHashing": attempt(lambda: [r.node_for(k) for r in [m.RendezvousHashing(nodes)] for k in keys]),
}}
"""


class CrossProcess:
    """What two fresh interpreters (different PYTHONHASHSEED) computed for the same keys."""

    def __init__(self, keys, nodes, results):
        self.keys, self.nodes, self.results = keys, nodes, results

    def check(self, component, here):
        """The in-process answers ``here`` equal both fresh interpreters' answers."""
        from sysdesign.messages import explain

        for seed, answers in self.results.items():
            there = answers[component]
            if there != here:
                shown = there if isinstance(there, str) else there[:5]
                raise AssertionError(explain(
                    f"{component}({self.nodes}).node_for(k) for {len(here)} keys "
                    f"in a fresh interpreter with PYTHONHASHSEED={seed}",
                    shown, here[:5],
                    "every process must pick the same node for a key; is Python's salted hash() in there?",
                ))


@pytest.fixture(scope="session", autouse=True)
def _fresh_interpreters(impl):
    """Start the two child interpreters with the first test, so they run while other tests do."""
    from sysdesign.interpreters import FreshInterpreters

    children = FreshInterpreters(impl("hashing").__file__, _SNIPPET, hashseeds=(1, 2))
    yield children
    children.close()


@pytest.fixture(scope="session")
def cross_process(_fresh_interpreters):
    return CrossProcess(CROSS_KEYS, NODES, _fresh_interpreters.results())

