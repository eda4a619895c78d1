"""The learner's last results, kept in ``.sysdesign/results.json`` (ignored by git) so that
``sysdesign list`` can show progress without re-running every suite.

Never needed for grading. A damaged file is reported in one line and treated as empty; it is
rewritten on the next run, after a copy of the damaged one is kept beside it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from harness import KIT_ROOT
from harness.grading import GradeReport


def state_dir() -> Path:
    """``$SYSDESIGN_STATE_DIR`` or ``.sysdesign/`` in the kit's checkout."""
    return Path(os.environ.get("SYSDESIGN_STATE_DIR") or KIT_ROOT / ".sysdesign")


def results_file() -> Path:
    return state_dir() / "results.json"


def _read(path: Path) -> dict[str, dict]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ValueError("expected an object of exercise results")
    return data


def load_last_results() -> dict[str, dict]:
    """slug -> {"status", "points", "max_points"} from the learner's last runs."""
    path = results_file()
    try:
        return _read(path)
    except (OSError, ValueError) as exc:
        print(f"sysdesign: {path}: unreadable results ({exc}); starting afresh", file=sys.stderr)
        return {}


def record_results(report: GradeReport) -> None:
    """Merge the exercises of ``report`` into the results file (best effort, never raises)."""
    path = results_file()
    try:
        try:
            current = _read(path)
        except ValueError:
            current = {}
            path.replace(path.with_suffix(".damaged.json"))
        for ex in report.exercises:
            if ex.tests:
                current[ex.slug] = {"status": ex.status, "points": ex.points, "max_points": ex.max_points}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        print(f"sysdesign: could not record results in {path}: {exc}", file=sys.stderr)
