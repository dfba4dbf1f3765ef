"""Readiness checks for /healthz: database, broker and private storage."""

from django.db import connection

from handson.celery import app as celery_app
from handson.files import private_storage


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_broker() -> str:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return conn.transport_cls if isinstance(conn.transport_cls, str) else conn.as_uri()


def check_storage() -> str:
    storage = private_storage()
    storage.exists("healthz-probe")
    return type(storage).__name__


CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


def run_checks() -> dict[str, dict[str, str]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = {"status": "ok", "detail": check()}
        except Exception as exc:  # noqa: BLE001 - report any failure, never raise
            results[name] = {"status": "fail", "detail": type(exc).__name__}
    return results
