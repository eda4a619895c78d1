"""The zygote: a forked child is the run a fresh ``python -I -m pytest`` would have been (its
environment, folder, session, log, temporary folder and exit status), a run that outlives its
limit is stopped, and without a zygote the grader runs fresh interpreters."""

from __future__ import annotations

import os
import signal
import textwrap

import pytest

from sysdesign.grade import grader
from sysdesign.grade.zygote import Zygote, ZygoteGone

PROBE_TEST = textwrap.dedent('''
    import os, signal, tempfile

    def test_sees_its_own_run():
        print("cwd", os.getcwd())
        print("env", os.environ.get("PROBE"), "SECRET" in os.environ)
        print("tmp", tempfile.gettempdir())
        print("session leader", os.getsid(0) == os.getpid())
        assert os.environ["PROBE"] != "fail"

    def test_waits_when_asked():
        if os.environ["PROBE"] == "hang":
            signal.pause()
''')


@pytest.fixture
def zygote():
    started = Zygote.start({"PATH": os.environ.get("PATH", ""), "SECRET": "of the zygote"})
    assert started is not None, "the zygote did not start"
    yield started
    started.close()


def _run(zygote, tmp_path, probe: str, wall_limit: float = 60.0):
    folder = tmp_path / probe
    (folder / "tmp").mkdir(parents=True)
    (folder / "test_probe.py").write_text(PROBE_TEST, encoding="utf-8")
    env = {"PATH": os.environ.get("PATH", ""), "PROBE": probe, "TMPDIR": str(folder / "tmp"),
           "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    log = folder / "log.txt"
    pid, status, killed = zygote.run(["-q", "-s", "-p", "no:cacheprovider", "test_probe.py"], cwd=folder, env=env,
                                     log=log, wall_limit=wall_limit, on_timeout=lambda p: os.killpg(p, signal.SIGKILL))
    return pid, status, killed, log.read_text(encoding="utf-8")


def test_a_forked_run_has_its_own_folder_environment_session_and_temporary_folder(zygote, tmp_path):
    pid, status, killed, output = _run(zygote, tmp_path, "pass")
    assert (status, killed) == (0, False), output
    assert f"cwd {tmp_path / 'pass'}" in output
    assert "env pass False" in output  # the grader's environment for the run, not the zygote's
    assert f"tmp {tmp_path / 'pass' / 'tmp'}" in output
    assert "session leader True" in output and "2 passed" in output
    _, status, _, output = _run(zygote, tmp_path, "fail")
    assert status == 1 and "1 failed" in output


def test_a_run_past_its_limit_is_stopped_and_reported_killed(zygote, tmp_path):
    _, status, killed, _ = _run(zygote, tmp_path, "hang", wall_limit=0.5)
    assert killed and status == -signal.SIGKILL
    assert _run(zygote, tmp_path, "pass")[1] == 0  # the zygote serves on


def test_without_a_zygote_runs_start_fresh_interpreters(zygote, tmp_path, monkeypatch):
    zygote.close()
    with pytest.raises(ZygoteGone):
        _run(zygote, tmp_path, "pass")
    fresh = []
    real = grader._run_fresh
    monkeypatch.setattr(grader, "_run_fresh", lambda *a: fresh.append(a[0]) or real(*a))
    ws = grader.Workspace()
    try:
        ws.zygote = zygote  # gone: the run falls back
        run = grader.run_child(ws, "collect", grader._base_spec(grader.GradeOptions(), grader.KIT_ROOT / "plugins" / "pristine"),
                               [str(grader.shared_kit().exercise("proxies").suite)], collect=True, wall_limit=120)
    finally:
        ws.zygote = None
        ws.close()
    assert len(fresh) == 1 and any(e.get("event") == "collected" for e in run.events), run.output_tail
