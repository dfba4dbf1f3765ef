from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from handson.health import run_checks


@require_GET
@never_cache
def healthz(request):
    checks = run_checks()
    healthy = all(c["status"] == "ok" for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": checks},
                        status=200 if healthy else 503)
