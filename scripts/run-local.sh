#!/usr/bin/env bash
# `make run`: the web server plus a Celery worker with beat, in the foreground; Ctrl-C stops all.
set -euo pipefail
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/broker/queue var/broker/processed
trap 'kill 0' EXIT INT TERM
$BIN/celery -A handson worker -B --loglevel=INFO --concurrency=2 &
cat <<MSG

  handson is running:  http://$HOST:$PORT/
  health:              http://$HOST:$PORT/healthz
  admin:               http://$HOST:$PORT/admin/
  demo logins: see the seed_demo output above (password handson-demo-2026)

MSG
$BIN/python manage.py runserver "$HOST:$PORT"
