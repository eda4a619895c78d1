"""Known-wrong: prefix validation that strips the trailing '/' first and then requires a
leading '/', so the root prefix '/' (the shortest valid prefix) raises ValueError."""

from solutions import load_balancing as _reference
from solutions.load_balancing import *  # noqa: F401,F403

EXPECT_FAIL = ["test_settings.py::test_path_based_with_only_the_root_prefix"]


class PathBased(_reference.PathBased):
    def __init__(self, routes, default=None):
        for prefix in routes:
            if not prefix.rstrip("/").startswith("/"):
                raise ValueError(f"prefix {prefix!r} must start with '/'")
        super().__init__(routes, default)
