"""Applicant form pages under 50 concurrent users (issue #4), and their rendering cost.

`forms.register_step1` and `forms.webform`: a real gunicorn server on 127.0.0.1 (2 workers
x 4 threads, benchmarks.settings: DEBUG off, the bench database), 50 virtual users at once,
each on its own keep-alive connection with its own session, back to back (no think time):
`--repeat` requests each (20 by default) after one untimed warm-up request each, at most
LOAD_SECONDS per page. The floor is the
same load on a minimal Django view through the same middleware, measured in the same run,
against the same server. p95 latency must stay under 500 ms with no error.

`forms.render`: in process, the WEB form page's section forms rendered as the page renders
them (applications/webform/_section.html, one _field.html per field) against Django's plain
`{{ form }}` for the same forms in the same <form> markup: at most 1.25x.
"""

import http.client
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from benchmarks import _support, harness

USERS = 50
# A person on a form reads and types between page loads: each virtual user pauses 0.5-1.5 s
# (mean 1 s, seeded) after every response. Without a pause, 50 users would be 50 clients
# hammering back to back, which measures throughput (also printed), not what people feel.
THINK_SECONDS = (0.5, 1.5)
LOAD_SECONDS = 40.0  # per page: a page slower than this is cut off (and reported)
SERVER_START_SECONDS = 30.0
WORKERS, THREADS = 2, 4
WEBFORM_PREFIX = "bench-webform"
P95_BUDGET = harness.Budget(max_value=0.5, max_errors=0)

_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Load:
    """What one page did under the load."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    cut_off: bool = False

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def summary(self) -> str:
        done = len(self.latencies) + self.errors
        rate = done / self.wall if self.wall else 0.0
        text = (f"{done} requests by {USERS} users in {self.wall:.1f} s ({rate:.0f} req/s); "
                f"p50 {harness.fmt(harness.median(self.latencies), 's')}, "
                f"max {harness.fmt(max(self.latencies), 's')}" if self.latencies
                else f"{done} requests, none answered 200")
        if self.errors:
            text += f"; {self.errors} error(s): " + ", ".join(
                f"{kind} x{n}" for kind, n in sorted(self.error_kinds.items()))
        if self.cut_off:
            text += f"; cut off after {LOAD_SECONDS:g} s"
        return text


# -- the server -----------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn on a free loopback port, stopped (its whole process group) on exit."""

    def __init__(self):
        from django.conf import settings

        self.port = _free_port()
        self.log = tempfile.TemporaryFile()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
               "PYTHONUNBUFFERED": "1"}
        try:
            import gunicorn  # noqa: F401
        except ImportError as exc:
            raise harness.Unavailable("gunicorn is not installed") from exc
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "handson.wsgi:application",
             "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
             "--threads", str(THREADS), "--worker-class", "gthread", "--keep-alive", "30",
             "--timeout", "60", "--log-level", "warning"],
            cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def __enter__(self) -> "Server":
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                why = f"gunicorn exited ({self.process.returncode}): {self.log_tail()}"
                self.stop()
                raise harness.Unavailable(why)
            try:
                status, _headers, _body = request(self.port, "GET", "/_bench/minimal")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        why = f"gunicorn did not answer within {SERVER_START_SECONDS:g} s: {self.log_tail()}"
        self.stop()
        raise harness.Unavailable(why)

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # the arbiter stops its workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=5)
        self.log.close()

    def log_tail(self) -> str:
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").strip().splitlines()
        return " | ".join(lines[-3:]) or "no output"


def request(port: int, method: str, path: str, *, cookies: dict | None = None,
            body: dict | None = None, connection=None):
    """One request; (status, headers, body). Uses `connection` when given (keep-alive)."""
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": f"127.0.0.1:{port}", "Accept-Language": "ja"}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    data = None
    if body is not None:
        data = urlencode(body).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        if connection is None:
            conn.close()


def _set_cookies(headers, jar: dict) -> None:
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]


# -- the virtual users ------------------------------------------------------------------------

def register_start(port: int) -> dict:
    """What an applicant does before step 1: open /apply/ and press 「登録を始める」.
    Returns the cookies (session with a live registration draft)."""
    jar: dict = {}
    status, headers, body = request(port, "GET", "/apply/")
    _set_cookies(headers, jar)
    match = _CSRF_INPUT.search(body)
    if status != 200 or match is None:
        raise harness.Unavailable(f"GET /apply/ answered {status} without the start button "
                                  "(is the call open?)")
    status, headers, _body = request(port, "POST", "/apply/register/start/", cookies=jar,
                                     body={"csrfmiddlewaretoken": match.group(1).decode()})
    _set_cookies(headers, jar)
    if status != 302 or not headers.get("Location", "").endswith("/apply/register/1/"):
        raise harness.Unavailable(f"POST /apply/register/start/ answered {status} "
                                  f"{headers.get('Location', '')}")
    return jar


def run_load(port: int, paths: list[str], cookies: list[dict], per_user: int) -> Load:
    """USERS threads, each on its own keep-alive connection, `per_user` GETs with a think
    time between them, released together; stops early at LOAD_SECONDS."""
    load = Load()
    lock = threading.Lock()
    start = threading.Barrier(len(paths) + 1)
    deadline = [0.0]

    def user(index: int, path: str, jar: dict) -> None:
        think = random.Random(index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        failed: list[str] = []
        try:
            start.wait()
            time.sleep(think.uniform(0, THINK_SECONDS[1]))  # people do not arrive in step
            for _ in range(per_user):
                if time.monotonic() > deadline[0]:
                    with lock:
                        load.cut_off = True
                    break
                began = time.perf_counter()
                try:
                    status, _headers, _body = request(port, "GET", path, cookies=jar,
                                                      connection=conn)
                except (OSError, http.client.HTTPException) as exc:
                    failed.append(type(exc).__name__)
                    conn.close()  # reconnects on the next request
                    continue
                if status == 200:
                    mine.append(time.perf_counter() - began)
                else:
                    failed.append(f"HTTP {status}")
                time.sleep(think.uniform(*THINK_SECONDS))
        finally:
            conn.close()
            with lock:
                load.latencies.extend(mine)
                for kind in failed:
                    load.error(kind)

    threads = [threading.Thread(target=user, args=(index, path, jar), daemon=True)
               for index, (path, jar) in enumerate(zip(paths, cookies, strict=True))]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + LOAD_SECONDS
    began = time.perf_counter()
    start.wait()
    for thread in threads:
        thread.join(LOAD_SECONDS + 35)
    load.wall = time.perf_counter() - began
    if any(thread.is_alive() for thread in threads):
        raise harness.Unavailable("a virtual user hung past the time cap")
    return load


# -- the data -------------------------------------------------------------------------------

ANSWERS = {
    "management_philosophy": "ものづくりで世界の現場を支える。" * 6,
    "expansion_motive": "国内市場の縮小に備え、東南アジアの需要を取り込むため。" * 4,
    "executive_commitment": "代表取締役が自ら海外営業を統括し、月1回の進捗会議を開く。" * 3,
    "implementation_structure": "海外営業課3名（英語2名）、技術担当1名。" * 3,
    "market_needs": "現地の日系・地場メーカーで精密部品の需要が伸びている。" * 4,
    "management_approved": True, "b2b": True, "product_exists": True,
}


def webform_applications(count: int = USERS):
    """`count` applications of the open call awaiting documents, half filled in, each with
    its own applicant (created once, reused by later runs)."""
    from applications.enums import ApplicationStatus, ProjectType
    from applications.models import Application, Company, WebFormAnswers

    call = _support.open_call()
    users = _support.applicant_users(WEBFORM_PREFIX, count)
    have = {a.applicant_id: a for a in Application.objects.filter(
        call=call, applicant__in=users).select_related("applicant")}
    for n, user in enumerate(users):
        if user.pk in have:
            continue
        company = Company.objects.create(**_support.company_fields(90_000 + n))
        application = Application.objects.create(
            call=call, company=company, applicant=user,
            status=ApplicationStatus.AWAITING_DOCUMENTS, contact_name="佐藤 花子",
            contact_email=f"{user.username}@example.jp", contact_phone="03-3582-8333",
            project_type=ProjectType.EXPORT, target_countries=["VN", "TH", "US"],
            us_tariff_response=True, product_name="精密加工部品")
        WebFormAnswers.objects.create(application=application, **ANSWERS)
        have[user.pk] = application
    return [have[user.pk] for user in users]


_loads: dict[str, Load] | None = None


def _measure(per_user: int) -> dict[str, Load]:
    """Serve the three pages once for both load cases (one server, one seeding)."""
    global _loads
    if _loads is not None:
        return _loads
    _support.require_bench_database()
    from applications.models import RegistrationDraft

    applications = webform_applications()
    sessions = [_support.login_session(a.applicant) for a in applications]
    from django.conf import settings

    cookie = settings.SESSION_COOKIE_NAME
    started: list[dict] = []
    try:
        with Server() as server:
            port = server.port
            # Each virtual user starts its own registration (2 requests, untimed).
            for _ in range(USERS):
                started.append(register_start(port))
            pages = {
                "minimal": (["/_bench/minimal"] * USERS, [{}] * USERS),
                "step1": (["/apply/register/1/"] * USERS, started),
                "webform": ([f"/my/applications/{a.public_id}/form/" for a in applications],
                            [{cookie: key} for key in sessions]),
            }
            for paths, cookies in pages.values():  # warm-up: templates, caches, imports
                run_load(port, paths, cookies, 1)
            loads = {page: run_load(port, paths, cookies, per_user)
                     for page, (paths, cookies) in pages.items()}
    finally:
        keys = [jar[cookie] for jar in started if cookie in jar]
        RegistrationDraft.objects.filter(session_key__in=keys).delete()
        _support.delete_sessions([*keys, *sessions])
    _loads = loads
    return _loads


def _load_result(page: str, what: str, repeat: int) -> harness.Result:
    loads = _measure(max(1, repeat))
    load, floor = loads[page], loads["minimal"]
    if not load.latencies:
        raise harness.Unavailable(f"{what}: {load.summary()}")
    return harness.Result(
        figure=harness.p95(load.latencies), floor=harness.p95(floor.latencies),
        budget=P95_BUDGET, errors=load.errors,
        notes=[f"p95 under {USERS} concurrent users (think time {THINK_SECONDS[0]:g}-"
               f"{THINK_SECONDS[1]:g} s), gunicorn {WORKERS} workers x {THREADS} "
               f"threads, {_support.database_label()}",
               f"{what}: {load.summary()}",
               f"minimal view: {floor.summary()}"],
    )


@harness.case("forms.register_step1", "registration step 1 (/apply/register/1/, a live "
              "2-hour draft per user) under 50 concurrent users vs a minimal Django view")
def register_step1(repeat: int) -> harness.Result:
    return _load_result("step1", "step 1", repeat)


@harness.case("forms.webform", "WEB form page (/my/applications/<id>/form/, logged-in "
              "applicant) under 50 concurrent users vs a minimal Django view")
def webform_page(repeat: int) -> harness.Result:
    return _load_result("webform", "WEB form", repeat)


# -- rendering vs plain Django ----------------------------------------------------------------

PLAIN_SECTION = (
    '<section id="section-{{ section.key }}"><h2>{{ section.number }}. {{ section.title }}</h2>'
    '<form method="post" action="{% url \'applications:webform\' application.public_id %}">'
    '{% csrf_token %}<input type="hidden" name="section" value="{{ section.key }}">'
    '{{ section.form }}<button type="submit">保存する</button></form></section>'
)


@harness.case("forms.render", "the WEB form's 7 section forms as the page renders them "
              "(_section.html + _field.html) vs Django's plain {{ form }}, same forms")
def render(repeat: int) -> harness.Result:
    _support.require_bench_database()
    from django.template import engines
    from django.template.loader import get_template
    from django.test import RequestFactory
    from django.utils import translation

    try:
        from applications.views import webform as views
    except ImportError as exc:
        raise harness.Unavailable(f"applications.views.webform: {exc}") from exc

    application = webform_applications(1)[0]
    request = RequestFactory().get(f"/my/applications/{application.public_id}/form/")
    request.user = application.applicant
    keys = [*views.FORM_SECTIONS, "product", "notes"]
    try:
        sections = [views._section(application, key, n, True)
                    for n, key in enumerate(keys, start=1)]
    except (AttributeError, TypeError) as exc:
        raise harness.Unavailable(f"the WEB form's sections changed shape: {exc}") from exc
    project = get_template("applications/webform/_section.html")
    plain = engines["django"].from_string(PLAIN_SECTION)
    fields = sum(len(s["form"].fields) for s in sections)

    def rendered(template) -> str:
        return "".join(template.render({"section": s, "application": application, "flash": None},
                                       request) for s in sections)

    with translation.override("ja"):
        project_html, plain_html = rendered(project), rendered(plain)
        target, floor = harness.paired_samples(
            lambda: rendered(project), lambda: rendered(plain), repeat=repeat * 5)
    return harness.Result(
        figure=harness.median(target), floor=harness.median(floor),
        budget=harness.Budget(max_ratio=1.25),
        notes=[f"median of {repeat * 5}; {len(sections)} forms, {fields} fields; "
               f"{len(project_html):,} vs {len(plain_html):,} characters of HTML"],
    )
