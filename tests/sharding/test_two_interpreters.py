"""Task 1: two fresh interpreters, salted differently, agree with this one.

Python salts ``hash()`` of strings per process, so a router built on it would send the same key
to different shards from different processes (or after a restart). These tests run your module
in two new interpreters (``PYTHONHASHSEED`` 1 and 2) and compare their answers with yours.
"""

import pytest

from sysdesign.messages import expect_true

pytestmark = pytest.mark.task(1)


@pytest.mark.points(2)
def test_two_fresh_interpreters_agree(sharding, cross_process):
    strategy = sharding.HashStrategy(cross_process.shards)
    here = [strategy.shard_for(k) for k in cross_process.keys]
    for seed, there in cross_process.results.items():
        expect_true(there == here, f"HashStrategy({cross_process.shards}).shard_for(k) for {len(here)} keys in a "
                    f"fresh interpreter with PYTHONHASHSEED={seed} (first 5 shown)",
                    got=there if isinstance(there, str) else there[:5], expected=here[:5],
                    why="every router process must send a key to the same shard; Python's hash() is salted per "
                    "process, so use hashlib")
