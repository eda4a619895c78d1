"""The learner's loop: running an exercise on the learner's code and recording it, showing a
result, hints, resetting a module, and ``sysdesign watch``.

Local state: where it lives (:mod:`sysdesign.places`); in ``.sysdesign/``, the cache of last
results (:mod:`sysdesign.learner.last_results`), hint levels (:mod:`sysdesign.learner.hint_levels`)
and backups (:mod:`sysdesign.files`); ``PROGRESS.md`` (:mod:`sysdesign.progress`) for the record the
learner keeps.
"""
