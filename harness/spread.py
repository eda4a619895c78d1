"""Small statistics suites use to judge how keys or requests spread over servers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping


def moved_fraction(before: Mapping[Hashable, Hashable], owner_now: Callable[[Hashable], Hashable]) -> float:
    """The fraction of keys in ``before`` (key -> owner) whose owner is no longer the same."""
    if not before:
        return 0.0
    return sum(owner_now(k) != owner for k, owner in before.items()) / len(before)


def moved_keys(before: Mapping[Hashable, Hashable], owner_now: Callable[[Hashable], Hashable]) -> dict:
    """key -> (old owner, new owner) for every key whose owner changed."""
    from sysdesign.reads import map_calls

    out = {}
    for (key, owner), now in zip(before.items(), map_calls(owner_now, before)):
        if now != owner:
            out[key] = (owner, now)
    return out


def shares(owners: Iterable[Hashable]) -> dict[Hashable, float]:
    """owner -> fraction of the items it got (sorted by owner for stable messages)."""
    counts = Counter(owners)
    total = sum(counts.values()) or 1
    return {k: counts[k] / total for k in sorted(counts, key=str)}


def max_over_mean(counts: Iterable[int]) -> float:
    """Peak load relative to the average: 1.0 is perfect balance."""
    values = list(counts)
    return max(values) / (sum(values) / len(values)) if values and sum(values) else 0.0
