import pytest


@pytest.fixture
def storage(impl):
    """The active implementation of exercises/specialized_storage.py."""
    return impl("specialized_storage")
