"""``sysdesign dev check [--pack NAME]``: prove that exercises (a pack's, or all of them) are well
formed, with the same checks the kit's own tests make of the core.

For every exercise: the reference passes its suite (which runs at least 90% of its branches),
the pristine stub is "not started" everywhere, every shipped known-wrong variant fails the tests
it names, tasks, hints and points are all there. For the kit: every pack loads, declares a
metadata format this kit reads, and claims no slug, cluster fault or service that is taken.
Exit code 0 when all is well, 1 with one line per problem otherwise, 2 for a bad request.
"""

from __future__ import annotations

import argparse

from sysdesign.commands.common import CliError
from sysdesign.packs import CORE, cluster_extensions
from sysdesign.plugin_manager import PACK_GROUP, Kit, shared_kit
from sysdesign.term import style


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dev", help="tools for exercise and pack authors")
    dev = p.add_subparsers(dest="dev_command", required=True, metavar="TOOL")
    check = dev.add_parser("check", help="prove that exercises are well formed (a pack's, or all of them)")
    check.add_argument("--pack", metavar="NAME", help="only this pack (its name in `sysdesign list`; 'core' for the kit's own)")
    check.add_argument("--exercise", metavar="SLUG", action="append", help="only this exercise (repeatable)")
    check.add_argument("--no-coverage", action="store_true", help="skip measuring how much of the reference the suite runs")
    check.add_argument("-v", "--verbose", action="store_true", help="show the test output behind each problem")
    check.add_argument("slugs", nargs="*", metavar="SLUG", help="only these exercises (like --exercise)")
    mutation = check.add_argument_group("mutation check (slow; opt-in)")
    mutation.add_argument("--mutants", action="store_true",
                          help="instead of the checks above, run each exercise's suite against small mutations of "
                               "its reference and list the survivors (file:line, the mutation)")
    mutation.add_argument("--max-mutants", type=int, metavar="N", help="only the first N mutants of each reference")
    mutation.add_argument("--mutant-timeout", type=float, default=120.0, metavar="SECONDS",
                          help="a suite run longer than this counts the mutant as killed (default 120)")
    mutation.add_argument("--test", action="append", metavar="FILE",
                          help="run only this test file of the suite against each mutant (repeatable)")
    mutation.add_argument("--function", action="append", metavar="NAME",
                          help="mutate only code inside functions or methods of this name (repeatable)")
    check.set_defaults(func=run_check)


def _about(pack: str, line: str) -> bool:
    """``line`` (a kit problem) concerns ``pack``."""
    return f"'{pack}'" in line or line.startswith(f"{pack}:")


def pack_name_problems(kit: Kit) -> list[str]:
    """A pack whose exercises say they belong to another pack name than its entry point's."""
    import importlib.metadata

    names = {ep.name for ep in importlib.metadata.entry_points(group=PACK_GROUP)}
    problems = []
    for answer in kit.hook_answers("sysdesign_exercises"):
        if answer.plugin not in names or answer.error is not None:  # the kit reports an error already
            continue
        declared = {getattr(e, "pack", None) for e in answer.value}
        for other in sorted(p for p in declared if p != answer.plugin and isinstance(p, str)):
            problems.append(f"pack '{answer.plugin}': its exercises say pack='{other}'; use the entry-point "
                            f"name '{answer.plugin}' so `sysdesign list` and `dev check --pack` agree")
    return problems


def run_check(args: argparse.Namespace) -> int:
    import coverage

    from sysdesign.selfcheck import (
        MIN_PACK_VARIANTS,
        MIN_VARIANTS,
        check_exercise,
        run_suite_in_process,
        slug_clashes,
    )

    kit = shared_kit()
    kit_problems = [*kit.problems, *slug_clashes(kit), *pack_name_problems(kit),
                    *cluster_extensions(kit)["problems"]]
    kit_problems = list(dict.fromkeys(kit_problems))  # the same clash can be seen twice
    exercises = kit.exercises
    if args.pack:
        exercises = [e for e in exercises if e.pack == args.pack]
        kit_problems = [p for p in kit_problems if _about(args.pack, p)]
        if not exercises and not kit_problems:
            packs = sorted({e.pack for e in kit.exercises})
            raise CliError(f"no pack named '{args.pack}' (packs: {', '.join(packs)})")
    wanted = [*(args.exercise or []), *getattr(args, "slugs", [])]
    if wanted:
        unknown = sorted(set(wanted) - set(kit.slugs))
        if unknown:
            raise CliError(f"unknown exercise {', '.join(unknown)}; valid: {', '.join(kit.slugs)}")
        exercises = [e for e in exercises if e.slug in wanted]
    if getattr(args, "mutants", False):
        return run_mutants(args, exercises)
    measure = not args.no_coverage and coverage.Coverage.current() is None
    problems = list(kit_problems)
    for exercise in exercises:
        label = exercise.slug if exercise.pack == CORE else f"{exercise.slug} [{exercise.pack}]"
        print(f"checking {label} ...", end=" ", flush=True)
        found = check_exercise(exercise, run_suite_in_process, measure_coverage=measure,
                               min_variants=MIN_VARIANTS if exercise.pack == CORE else MIN_PACK_VARIANTS)
        variants = len(exercise.variant_files())
        print(style("ok", "green") if not found else style(f"{len(found)} problem(s)", "red"),
              f"({variants} known-wrong variant{'s' if variants != 1 else ''})")
        problems += found
    if not measure and not args.no_coverage:
        print("note: coverage of the references not measured (an outer coverage run is active)")
    if problems:
        print(f"\n{len(problems)} problem(s):")
        for problem in problems:
            lines = problem.splitlines() or [""]
            print(f"  - {lines[0]}")
            if args.verbose:
                for line in lines[1:]:
                    print(f"      {line}")
        if not args.verbose and any("\n" in p for p in problems):
            print("(run with -v for the test output behind each problem)")
        return 1
    scope = f"pack '{args.pack}'" if args.pack else "every exercise"
    print(f"\n{scope}: well formed ({len(exercises)} exercise{'s' if len(exercises) != 1 else ''})")
    return 0


def run_mutants(args: argparse.Namespace, exercises: list) -> int:
    """``dev check --mutants``: the survivors of each exercise's mutation check. Exit code 0 when
    none survived, 1 otherwise (a survivor is a lead to read, not always a gap: see
    docs/writing-exercises.md on equivalent mutants)."""
    from sysdesign.selfcheck import check_mutants, survivor_lines

    if args.max_mutants is not None and args.max_mutants < 1:
        raise CliError("--max-mutants must be at least 1")
    survivors: list[str] = []
    for exercise in exercises:
        print(f"mutating {exercise.slug} ...", flush=True)
        marks = {"killed": ".", "timed out": "t", "survived": style("S", "red")}

        def progress(result):
            print(marks[result.outcome], end="", flush=True)

        results = check_mutants(exercise, tests=args.test, functions=args.function, limit=args.max_mutants,
                                timeout=args.mutant_timeout, progress=progress)
        lines = survivor_lines(exercise, results)
        killed = sum(r.outcome != "survived" for r in results)
        print(f"\n  {killed}/{len(results)} mutants killed, {len(lines)} survived")
        for line in lines:
            print(f"  - {line}")
        survivors += lines
    return 1 if survivors else 0
