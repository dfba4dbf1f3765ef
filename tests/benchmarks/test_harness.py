"""The `make bench` harness: budgets, percentiles, the report and the exit code.

No timing is asserted here (speed is the benchmarks' business, never the tests'): the cases
below return fixed figures.
"""

import pytest

from benchmarks import __main__ as bench
from benchmarks import harness
from benchmarks import pdf as pdf_bench


def result(figure, floor=None, **budget):
    return harness.Result(figure=figure, floor=floor, budget=harness.Budget(**budget))


def test_ratio_budget_allows_exactly_the_limit():
    assert result(0.2, 0.1, max_ratio=2.0).failures == []
    assert result(0.2001, 0.1, max_ratio=2.0).failures == ["2.00x the floor > 2x"]


def test_value_budget_is_strictly_below():
    assert result(0.4999, max_value=0.5).failures == []
    assert result(0.5, max_value=0.5).failures == ["500.0 ms >= 500.0 ms"]


def test_both_budgets_report_both_failures():
    assert result(3.0, 1.0, max_ratio=1.25, max_value=2.0).failures == [
        "3.00x the floor > 1.25x", "3.00 s >= 2.00 s"]


def test_error_budget_allows_at_most_max_errors():
    def with_errors(errors, **budget):
        return harness.Result(figure=0.1, floor=0.01, budget=harness.Budget(**budget),
                              errors=errors)

    assert with_errors(0, max_value=0.5, max_errors=0).failures == []
    assert with_errors(3, max_value=0.5, max_errors=0).failures == ["3 error(s) > 0"]
    assert with_errors(2, max_errors=2).failures == []
    # Without max_errors, errors are not judged (the budgets written before it).
    assert with_errors(5, max_value=0.5).failures == []
    assert harness.Result(figure=0.1, floor=None, budget=harness.Budget()).errors == 0


def test_no_floor_means_no_ratio():
    assert result(1.0).ratio is None
    assert result(1.0, 0.0).ratio is None
    assert result(1.0, max_ratio=2.0).failures == []


def test_budget_descriptions():
    assert harness.Budget(max_ratio=2.0).describe("s") == "<= 2x floor"
    assert harness.Budget(max_ratio=1.25, max_value=0.5).describe("s") == (
        "<= 1.25x floor, < 500.0 ms")
    assert harness.Budget(max_value=30).describe("MB") == "< 30 MB"
    assert harness.Budget(max_value=0.5, max_errors=0).describe("s") == (
        "< 500.0 ms, 0 errors")
    assert harness.Budget().describe("s") == "-"


def test_percentiles():
    samples = [float(n) for n in range(100, 0, -1)]
    assert harness.p95(samples) == 95.0
    assert harness.median(samples) == 50.5
    assert harness.p95([0.3]) == 0.3
    assert harness.p95([1.0, 2.0, 3.0]) == 3.0


def test_paired_samples_alternate_after_warmup():
    calls = []
    target, floor = harness.paired_samples(
        lambda: calls.append("t"), lambda: calls.append("f"), repeat=3, warmup=1)
    assert calls == ["t", "f"] * 4
    assert len(target) == len(floor) == 3
    assert all(t >= 0 for t in target + floor)


@pytest.fixture
def fake_cases(monkeypatch):
    monkeypatch.setattr(harness, "CASES", {})

    @harness.case("x.fast", "within its budget")
    def fast(repeat):
        return harness.Result(figure=0.12, floor=0.1, budget=harness.Budget(max_ratio=2.0),
                              notes=[f"{repeat} samples"])

    @harness.case("x.slow", "over its budget")
    def slow(repeat):
        return harness.Result(figure=0.75, floor=0.25, budget=harness.Budget(max_ratio=2.0))

    @harness.case("x.later", "not written yet")
    def later(repeat):
        raise harness.Unavailable("screening.views.dashboard does not exist yet")

    monkeypatch.setattr(bench, "load_cases", lambda: dict(sorted(harness.CASES.items())))
    return harness.CASES


def test_report_prints_figure_beside_floor(fake_cases):
    lines = []
    exceeded = harness.run_cases(fake_cases.values(), repeat=7, out=lines.append)
    assert exceeded == 1
    assert lines == [
        "case                             figure      floor   ratio  budget                 "
        "verdict",
        "x.fast                         120.0 ms   100.0 ms   1.20x  <= 2x floor            ok",
        "    within its budget",
        "    - 7 samples",
        "x.slow                         750.0 ms   250.0 ms   3.00x  <= 2x floor            "
        "OVER BUDGET: 3.00x the floor > 2x",
        "    over its budget",
        "x.later" + " " * 31 + "-          -       -  -                      "
        "not run: screening.views.dashboard does not exist yet",
    ]


def test_exit_code_is_1_over_budget_and_0_within(fake_cases, capsys):
    assert bench.main(["--repeat", "1"]) == 1
    assert capsys.readouterr().out.splitlines()[-1] == "1 budget(s) exceeded"
    assert bench.main(["-k", "x.fast", "--repeat", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "all within budget"
    # A case that cannot run yet is reported, not failed.
    assert bench.main(["-k", "later"]) == 0


def test_unknown_selection_is_an_error(fake_cases, capsys):
    assert bench.main(["-k", "nothing-like-this"]) == 2
    assert "no benchmark matches 'nothing-like-this'" in capsys.readouterr().err


def test_every_module_registers_its_cases(capsys):
    assert bench.main(["--list"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert "pdf.notice" in names
    assert names == sorted(names)


def test_pdf_case_measures_one_page_against_bare_weasyprint():
    result = pdf_bench.notice(1)
    assert result.unit == "s"
    assert result.figure > 0 and result.floor > 0
    assert result.budget == harness.Budget(max_ratio=2.0)
    assert result.notes[0] == "WeasyPrint 70.0, HarfBuzz-Subset in use"
    assert result.notes[1].endswith("template pdf/adoption_notice.html")
