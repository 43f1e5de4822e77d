"""Run every benchmark in bench/ and print each figure as a ratio to its baseline.

Usage: python -m bench [--quick | --scale] [NAME…]   (NAME: import, export, gui, search, …)

``--scale`` adds the million-document figures (minutes to an hour); a plain
run takes a few minutes on two cores.
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
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    size.add_argument("--scale", action="store_true", help="add the million-document figures")
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
        for res in _run(module, args):
            results.append(res)
            _print(res)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} of {len(results)} figures within their goals")
    return 1 if failed else 0


def _run(module, args: argparse.Namespace) -> list[Result]:
    """``module.run(quick)``, plus ``module.run_scale()`` under ``--scale`` when it has one."""
    results = list(module.run(args.quick))
    if args.scale and hasattr(module, "run_scale"):
        results += module.run_scale()
    return results


def _print(r: Result) -> None:
    sign = "≥" if r.higher_is_better else "≤"
    mark = "ok  " if r.ok else "MISS"
    spread = ""
    if len(r.ratios) > 1:
        spread = f" [min {min(r.ratios):.2f}, max {max(r.ratios):.2f}, {len(r.ratios)} pairs]"
    print(
        f"{mark} {r.name}: ratio {r.ratio:.2f}{spread} (goal {sign} {r.goal:g}); "
        f"{r.value:.4g} vs baseline {r.baseline:.4g} {r.unit}. {r.note}".rstrip(),
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
