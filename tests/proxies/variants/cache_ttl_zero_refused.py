"""Known-wrong: the settings check is off by one: ``cache_ttl`` must be positive, so
``cache_ttl=0`` (the documented way to turn the cache off, and the default) is refused."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_cache_ttl_zero_and_the_shortest_ttl"]


class ReverseProxy(_reference.ReverseProxy):
    def __init__(self, name, backends, *, cache_ttl=0.0, **options):
        if cache_ttl <= 0:
            raise ValueError(f"cache_ttl must be positive, got {cache_ttl!r}")
        super().__init__(name, backends, cache_ttl=cache_ttl, **options)
