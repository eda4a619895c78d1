"""Known-wrong: a gossip node keeps a rumour's payload only while it pushes it; once the rumour
has gone cold (pushed push_rounds times) it keeps the id alone, so knows() stays true but
rumors() forgets the payload and pull answers lose it. Every sample point at which a suite reads
rumors() comes while the rumour is still hot."""

from solutions import p2p as _reference
from solutions.p2p import *  # noqa: F401,F403

EXPECT_FAIL = ["test_gossip.py::test_a_rumour_is_pushed_for_push_rounds_rounds_then_no_more"]


class GossipNode(_reference.GossipNode):
    def __init__(self, *args, **kwargs):
        self._seen = set()
        super().__init__(*args, **kwargs)

    def _learn(self, rumor_id, payload):
        if rumor_id not in self._seen:
            self._seen.add(rumor_id)
            super()._learn(rumor_id, payload)

    def knows(self, rumor_id):
        return rumor_id in self._seen

    def round(self):
        super().round()
        for rumor_id in list(self._rumors):
            if rumor_id not in self._hot:
                del self._rumors[rumor_id]
