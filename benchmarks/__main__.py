"""`python -m benchmarks [-k SUBSTRING] [--repeat N] [--list]` (what `make bench` runs)."""

import argparse
import importlib
import os
import pkgutil
import platform
import sys

import benchmarks
from benchmarks import harness

NOT_CASES = {"harness", "settings", "urls"}


def load_cases() -> dict[str, harness.Case]:
    for module in pkgutil.iter_modules(benchmarks.__path__):
        if not module.name.startswith("_") and module.name not in NOT_CASES:
            importlib.import_module(f"benchmarks.{module.name}")
    return dict(sorted(harness.CASES.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("-k", dest="select", default="",
                        help="run only the cases whose name contains this")
    parser.add_argument("--repeat", type=int, default=20, help="timed samples per figure")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    args = parser.parse_args(argv)

    # A database of its own under var/bench/ (see benchmarks/settings.py).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()

    cases = [c for name, c in load_cases().items() if args.select in name]
    if args.list:
        for item in cases:
            print(f"{item.name:<28} {item.title}")
        return 0
    if not cases:
        print(f"no benchmark matches {args.select!r}", file=sys.stderr)
        return 2
    print(f"handson benchmarks: {len(cases)} case(s), {args.repeat} samples each, "
          f"Python {platform.python_version()}, {os.cpu_count()} CPU(s), {platform.machine()}")
    exceeded = harness.run_cases(cases, repeat=args.repeat, out=print)
    print(f"{exceeded} budget(s) exceeded" if exceeded else "all within budget")
    return 1 if exceeded else 0


if __name__ == "__main__":
    sys.exit(main())
