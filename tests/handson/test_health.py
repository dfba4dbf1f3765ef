import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_broker_and_storage(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["status"] for name, check in body["checks"].items()} == {
        "database": "ok", "broker": "ok", "storage": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_fails_when_the_broker_is_unreachable(client):
    from handson.celery import app
    from tests import services

    saved = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{services.free_port()}/0"
    services.reset_broker_pool(app)
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = saved
        services.reset_broker_pool(app)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["status"] == "fail"
    assert body["checks"]["database"]["status"] == "ok"
