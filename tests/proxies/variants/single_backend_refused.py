"""Known-wrong: the settings check is off by one: a reverse proxy demands at least two
backends ("there is nothing to balance with one"), so a single backend, a valid setting, is
refused."""

from solutions import proxies as _reference
from solutions.proxies import *  # noqa: F401,F403

EXPECT_FAIL = [
    "test_settings.py::test_a_single_backend_is_enough",
    "test_settings.py::test_cache_ttl_zero_and_the_shortest_ttl",
    "test_settings.py::test_a_very_short_cache_ttl_works",
]


class ReverseProxy(_reference.ReverseProxy):
    def __init__(self, name, backends, **options):
        if len(backends) < 2:
            raise ValueError("a reverse proxy needs at least two backends")
        super().__init__(name, backends, **options)
