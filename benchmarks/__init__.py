"""Benchmarks run by `make bench` (not part of the test suite; see docs/quality.md "Speed").

Every figure is printed beside its floor, both measured in the same run on the same machine,
and checked against its budget; `make bench` exits 1 when a budget is exceeded.

`python -m benchmarks` runs with benchmarks.settings unless DJANGO_SETTINGS_MODULE says
otherwise: DEBUG off and a database of its own (var/bench/, or BENCH_DATABASE_URL), which the
cases migrate and seed themselves (_support.py) and reuse between runs.

To add one, drop a module here (any name not starting with "_") with a function decorated
with `@harness.case("<room>.<what>", "<one line>")`. It takes the number of samples to take
and returns a `harness.Result`, or raises `harness.Unavailable("why")` when what it measures
does not exist yet. Measure the figure and its floor with `harness.paired_samples`, so both
see the same machine state.
"""
