"""Production settings pass `manage.py check --deploy` with real-looking environment."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_check_deploy_is_clean():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "handson.settings.production",
        "SECRET_KEY": "k8$Jx2#pQz7!mR4@vW9&nB3^tY6*cF1(hL5)sD0-gA8+eU2=oI7_wZ4",
        "ALLOWED_HOSTS": "handson.example.jp",
        "DATABASE_URL": "postgres://handson:password@db.example.jp:5432/handson",
        "REDIS_URL": "redis://redis.example.jp:6379/0",
        "EMAIL_URL": "smtp+tls://user:password@smtp.example.jp:587",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="handson.settings.production",
               ALLOWED_HOSTS="handson.example.jp")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
