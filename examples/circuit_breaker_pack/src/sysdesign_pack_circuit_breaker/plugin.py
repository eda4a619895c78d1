"""The circuit-breaker pack's plugin (the ``sysdesign.packs`` entry point)."""
from sysdesign.api import exercises_hook
from sysdesign_pack_circuit_breaker.cluster import sysdesign_cluster_extensions  # noqa: F401
sysdesign_exercises = exercises_hook(__file__, pack="circuit-breaker")
