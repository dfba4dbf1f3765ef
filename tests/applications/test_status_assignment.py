"""The state machine is the spine: only applications/services/ assigns Application.status."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROOMS = ("applications", "screening", "experts", "support")
# `.status = …` (not `==`), `setattr(x, "status", …)`, and queryset `.update(status=…)`.
ASSIGNMENTS = [
    re.compile(r"\.status\s*=(?!=)"),
    re.compile(r"setattr\([^,]+,\s*[\"']status[\"']"),
    re.compile(r"\.update\([^)]*\bstatus\s*="),
]


def offending_lines() -> list[str]:
    found = []
    for room in ROOMS:
        for path in sorted((ROOT / room).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or relative.parts[1:2] == ("services",):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if any(pattern.search(code) for pattern in ASSIGNMENTS):
                    found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_module_outside_services_assigns_the_status():
    assert offending_lines() == []


def test_the_scan_would_catch_an_assignment(tmp_path, monkeypatch):
    room = tmp_path / "screening" / "views"
    room.mkdir(parents=True)
    (room / "bad.py").write_text("application.status = 'adopted'\n"
                                 "Application.objects.filter(pk=1).update(status='rejected')\n"
                                 "ok = application.status == 'adopted'\n", encoding="utf-8")
    for other in ("applications", "experts", "support"):
        (tmp_path / other).mkdir()
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert offending_lines() == [
        "screening/views/bad.py:1: application.status = 'adopted'",
        "screening/views/bad.py:2: Application.objects.filter(pk=1).update(status='rejected')",
    ]
