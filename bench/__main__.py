"""Run every benchmark in bench/ and print each figure as a ratio to its baseline.

Usage: python -m bench [--quick] [NAME…]   (NAME: import, export, gui, search, …)
Exit status 1 if any ratio misses its goal.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from bench.common import Result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("names", nargs="*", help="only these benchmarks")
    args = parser.parse_args(argv)
    here = Path(__file__).parent
    names = sorted(
        m.name[6:] for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_")
    )
    chosen = args.names or names
    results: list[Result] = []
    for name in chosen:
        if name not in names:
            parser.error(f"unknown benchmark {name!r} (have: {', '.join(names)})")
        print(f"running {name}…", file=sys.stderr, flush=True)
        module = importlib.import_module(f"bench.bench_{name}")
        for res in module.run(args.quick):
            results.append(res)
            _print(res)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} of {len(results)} figures within their goals")
    return 1 if failed else 0


def _print(r: Result) -> None:
    sign = "≥" if r.higher_is_better else "≤"
    mark = "ok  " if r.ok else "MISS"
    print(
        f"{mark} {r.name}: ratio {r.ratio:.2f} (goal {sign} {r.goal:g}); "
        f"{r.value:.4g} vs baseline {r.baseline:.4g} {r.unit}. {r.note}".rstrip(),
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
