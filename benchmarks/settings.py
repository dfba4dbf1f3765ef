"""Settings of `make bench` (the in-process cases and the gunicorn server of `forms.*`).

handson.settings.local with DEBUG off (a benchmark of DEBUG pages measures the debug
machinery), the floor's URL (benchmarks.urls) and a database of its own, so that seeding
10,000 applications never touches the development data: BENCH_DATABASE_URL, else
DATABASE_URL, else SQLite at var/bench/bench.sqlite3. Stored documents go to var/bench/ too.
"""

from handson.settings.local import *  # noqa: F403
from handson.settings.local import PRIVATE_STORAGE, STORAGES, VAR_DIR, env

BENCH_DIR = VAR_DIR / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]  # testserver: django.test.Client
ROOT_URLCONF = "benchmarks.urls"

DATABASES = {
    "default": env.db("BENCH_DATABASE_URL", default=env(
        "DATABASE_URL", default=f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 0)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent readers and one writer (the gunicorn threads, the seeding process).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"})

if PRIVATE_STORAGE["BACKEND"].endswith("FileSystemStorage"):
    _STORAGE = {**PRIVATE_STORAGE, "OPTIONS": {**PRIVATE_STORAGE["OPTIONS"],
                                               "location": str(BENCH_DIR / "private")}}
    STORAGES = {**STORAGES, "default": _STORAGE, "private": _STORAGE}

# The second factor is set up in the session (as tests/factories.verified_login does);
# the mails a registration would queue stay rows (no broker is needed by any case).
LOGGING = {"version": 1, "disable_existing_loggers": False,
           "root": {"handlers": [], "level": "WARNING"}}
