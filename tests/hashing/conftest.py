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
def attempt(fn):
    try:
        return fn()
    except BaseException as exc:
        return "error: " + type(exc).__name__
result = {{
    "stable_hash": attempt(lambda: [m.stable_hash(k) for k in keys]),
    "ModHashing": attempt(lambda: [m.ModHashing(nodes).node_for(k) for k in keys]),
    "ConsistentHashRing": attempt(lambda: [m.ConsistentHashRing(nodes, vnodes=50).node_for(k) for k in keys]),
    "RendezvousHashing": attempt(lambda: [m.RendezvousHashing(nodes).node_for(k) for k in keys]),
}}
"""


class CrossProcess:
    """What two fresh interpreters (different PYTHONHASHSEED) computed for the same keys."""

    def __init__(self, keys, nodes, results):
        self.keys, self.nodes, self.results = keys, nodes, results

    def check(self, component, here):
        """The in-process answers ``here`` equal both fresh interpreters' answers."""
        from harness.messages import explain

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


@pytest.fixture(scope="session")
def cross_process(impl):
    from harness.interpreters import run_in_fresh_interpreter

    path = impl("hashing").__file__
    results = {seed: run_in_fresh_interpreter(path, _SNIPPET, hashseed=seed) for seed in (1, 2)}
    return CrossProcess(CROSS_KEYS, NODES, results)

