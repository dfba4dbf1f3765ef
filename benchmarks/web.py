"""Pages through Django's full request cycle (in process) against a minimal view."""

from benchmarks import _support, harness


def _client():
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = "benchmarks.urls"
    _support.prepare_database()
    setup_test_environment()
    return Client()


def _get(client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise harness.Unavailable(f"GET {url} answered {response.status_code}")


@harness.case("web.home", "the Japanese home page (template, call lookup, middleware, CSP) vs "
              "a minimal Django view, through the same middleware, in process")
def home(repeat: int) -> harness.Result:
    client = _client()
    _get(client, "/")
    target, floor = harness.paired_samples(
        lambda: _get(client, "/"), lambda: _get(client, "/_bench/minimal"), repeat=repeat * 5)
    return harness.Result(
        figure=harness.median(target), floor=harness.median(floor),
        budget=harness.Budget(max_value=0.5),
        notes=[f"median of {repeat * 5}; p95 {harness.fmt(harness.p95(target), 's')} vs "
               f"{harness.fmt(harness.p95(floor), 's')}"],
    )
