"""Classroom grading (``sysdesign grade``): learner code in a sandboxed worker process, the
kit's pristine suites in a separate deciding process, reports written by the parent.

- :mod:`~sysdesign.grade.sandbox`: resource limits and the system-call filter of learner processes;
- :mod:`~sysdesign.grade.codec`: the JSON encoding of everything that crosses the boundary;
- :mod:`~sysdesign.grade.framing`: length-prefixed JSON frames on the pipes, protocol errors;
- :mod:`~sysdesign.grade.channel`: one side of the conversation between the deciding process and
  the worker (requests, handles, deferred calls, batches, exceptions as data);
- :mod:`~sysdesign.grade.proxies`: the other side's objects as proxies, the submission's module;
- :mod:`~sysdesign.grade.operations`: the special operations a proxy asks for by name;
- :mod:`~sysdesign.grade.remote_errors`: exception classes, tracebacks and raise sites as data;
- :mod:`~sysdesign.grade.worker`: the worker process (imports the submission, serves calls);
- :mod:`~sysdesign.grade.deciding_channel`: the deciding process's end of the channel;
- :mod:`~sysdesign.grade.learner_policy`: what learner code may receive and do with suite objects;
- :mod:`~sysdesign.grade.fake_network`: whether a simulated network intercepts ``requests``;
- :mod:`~sysdesign.grade.worker_errors`: the worker's ends that become a test's status;
- :mod:`~sysdesign.grade.worker_provider`: the implementation provider of the deciding process;
- :mod:`~sysdesign.grade.grader`: the parent (one deciding process per exercise, the merge);
- :mod:`~sysdesign.grade.reporting`: what the report writers share (``plugins/report_*.py``);
- :mod:`~sysdesign.grade.batch`, :mod:`~sysdesign.grade.release`, :mod:`~sysdesign.grade.bundles`:
  ``grade-batch``, ``release``, ``classroom-workflow``, ``github-workflow`` and ``gradescope-bundle``.

``docs/grading.md`` describes the design and the limits.
"""

#: Wall-clock seconds one exercise may take (collection, worker start and every test).
DEFAULT_TIMEOUT = 300.0
#: Megabytes of address space learner code may add to the worker's start-up footprint.
DEFAULT_MEMORY_MB = 512
#: Bytes of a test's output (what learner code printed) kept in the report.
OUTPUT_LIMIT = 2000
#: Bytes any file written by a learner process may reach (its captured output included).
FILE_SIZE_LIMIT = 8 * 1024 * 1024
#: Characters of an exception message or traceback kept when it crosses the boundary.
MESSAGE_LIMIT = 4000
#: Name of the implementation set the deciding process resolves to the worker provider.
PROVIDER_NAME = "sysdesign-grade-worker"
