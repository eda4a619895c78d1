import pytest


@pytest.fixture
def kv(impl):
    """The active implementation of exercises/kv_store.py."""
    return impl("kv_store")


def as_tuple(event):
    """A watch event as ``(type, key, value, version, revision, reason)``, for comparisons."""
    return (event.type, event.key, event.value, event.version, event.revision, event.reason)


class Recorder:
    """A watch callback that records the events it receives, as tuples."""

    def __init__(self):
        self.events = []

    def __call__(self, event):
        self.events.append(as_tuple(event))

    @property
    def revisions(self):
        return [e[4] for e in self.events]


@pytest.fixture
def recorder():
    return Recorder
