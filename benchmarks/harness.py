"""Sampling, budgets and the report of `make bench`."""

import math
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


class Unavailable(Exception):
    """What the case measures does not exist (yet), or the machine lacks something."""


@dataclass(frozen=True)
class Budget:
    """What a figure may be: at most `max_ratio` times its floor and/or below `max_value`;
    with `max_errors`, at most that many failed requests (`Result.errors`) on the way."""

    max_ratio: float | None = None
    max_value: float | None = None
    max_errors: int | None = None

    def failures(self, result: "Result") -> list[str]:
        failed = []
        if self.max_ratio is not None and result.ratio is not None \
                and result.ratio > self.max_ratio:
            failed.append(f"{result.ratio:.2f}x the floor > {self.max_ratio:g}x")
        if self.max_value is not None and result.figure >= self.max_value:
            failed.append(f"{fmt(result.figure, result.unit)} >= "
                          f"{fmt(self.max_value, result.unit)}")
        if self.max_errors is not None and result.errors > self.max_errors:
            failed.append(f"{result.errors} error(s) > {self.max_errors}")
        return failed

    def describe(self, unit: str) -> str:
        parts = []
        if self.max_ratio is not None:
            parts.append(f"<= {self.max_ratio:g}x floor")
        if self.max_value is not None:
            parts.append(f"< {fmt(self.max_value, unit)}")
        if self.max_errors is not None:
            parts.append(f"{self.max_errors} errors")
        return ", ".join(parts) or "-"


@dataclass
class Result:
    figure: float
    floor: float | None
    budget: Budget
    unit: str = "s"
    notes: list[str] = field(default_factory=list)
    errors: int = 0  # failed requests while measuring (see Budget.max_errors)

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor <= 0:
            return None
        return self.figure / self.floor

    @property
    def failures(self) -> list[str]:
        return self.budget.failures(self)


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    run: Callable[[int], Result]


CASES: dict[str, Case] = {}


def case(name: str, title: str):
    """Register `fn(repeat) -> Result` as the benchmark `name`."""
    def register(fn: Callable[[int], Result]) -> Callable[[int], Result]:
        if name in CASES:
            raise ValueError(f"benchmark {name!r} is registered twice")
        CASES[name] = Case(name, title, fn)
        return fn
    return register


def median(samples: Iterable[float]) -> float:
    return statistics.median(samples)


def p95(samples: Iterable[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def paired_samples(target: Callable[[], object], floor: Callable[[], object], *,
                   repeat: int, warmup: int = 2) -> tuple[list[float], list[float]]:
    """Time `target` and `floor` alternately, `repeat` times each after `warmup` untimed
    rounds, so drift on the machine (other load, CPU clock) falls on both alike."""
    for _ in range(warmup):
        target()
        floor()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((target, times[0]), (floor, times[1])):
            started = time.perf_counter()
            fn()
            out.append(time.perf_counter() - started)
    return times


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:g} {unit}"


def run_cases(cases: Iterable[Case], *, repeat: int, out: Callable[[str], object]) -> int:
    """Run, print one block per case, and return the number of budgets exceeded."""
    exceeded = 0
    out(f"{'case':<28} {'figure':>10} {'floor':>10} {'ratio':>7}  {'budget':<22} verdict")
    for item in cases:
        try:
            result = item.run(repeat)
        except Unavailable as why:
            out(f"{item.name:<28} {'-':>10} {'-':>10} {'-':>7}  {'-':<22} not run: {why}")
            continue
        failures = result.failures
        exceeded += bool(failures)
        floor = "-" if result.floor is None else fmt(result.floor, result.unit)
        ratio = "-" if result.ratio is None else f"{result.ratio:.2f}x"
        verdict = "OVER BUDGET: " + "; ".join(failures) if failures else "ok"
        out(f"{item.name:<28} {fmt(result.figure, result.unit):>10} {floor:>10} {ratio:>7}  "
            f"{result.budget.describe(result.unit):<22} {verdict}")
        out(f"    {item.title}")
        for note in result.notes:
            out(f"    - {note}")
    return exceeded
