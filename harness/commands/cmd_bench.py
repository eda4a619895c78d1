"""``sysdesign bench``: the simulated cluster's speed, as one JSON object."""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="measure the simulated cluster's speed (prints one JSON object)")
    p.add_argument("--quick", action="store_true", help="a smaller run (a tenth of the work), for a smoke test")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sysdesign.cluster import bench

    if args.quick:  # every figure of the full run, at a tenth of the work
        switches, handlers = bench.bench_switches(handlers=4_000)
        figures = {
            "sim_messages_per_s": round(bench.bench_messages(deliveries=20_000)),
            "http_requests_per_s": round(bench.bench_http(requests_count=200)),
            "virtual_speedup": round(bench.bench_speedup(virtual_seconds=360.0)),
            "task_switches_per_s": round(switches),
            "blocking_handlers_per_s": round(handlers),
            "sim_messages_per_s_one_invariant": round(bench.bench_messages(deliveries=20_000, invariants=1)),
        }
    else:
        figures = bench.run_bench()
    print(json.dumps(figures))
    return 0
