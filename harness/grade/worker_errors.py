"""Errors of the grading worker that become a test's status (``grade_status``): it timed out,
ran out of memory, crashed, or could not load the submission's module."""

from __future__ import annotations

from sysdesign.providers import ImplementationLoadError


class WorkerError(Exception):
    """The worker cannot answer any more; ``grade_status`` is the status of the test that saw it."""

    grade_status = "crashed"


class WorkerTimedOut(WorkerError):
    grade_status = "timed_out"


class WorkerOutOfMemory(WorkerError):
    grade_status = "out_of_memory"


class WorkerCrashed(WorkerError):
    grade_status = "crashed"


class WorkerLoadError(ImplementationLoadError):
    """The submission's module could not be loaded in the worker."""

    def __init__(self, message: str, status: str = "error") -> None:
        super().__init__(message)
        self.grade_status = status
