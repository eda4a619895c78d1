"""The learner's loop: running an exercise on the learner's code and recording it, showing a
result, hints, resetting a module, and ``sysdesign watch``.

Local state (:mod:`sysdesign.state`): ``.sysdesign/`` for the machine-readable cache and backups,
``PROGRESS.md`` (:mod:`sysdesign.progress`) for the record the learner keeps.
"""
