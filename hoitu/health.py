"""Checks behind /healthz, and who may read their details."""

import hmac
import time

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection

HEARTBEAT_KEY = "worker:heartbeat"


def record_heartbeat():
    cache.set(HEARTBEAT_KEY, time.time(), None)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def check_cache():
    probe = f"healthz:{time.time_ns()}"
    cache.set(probe, "1", 10)
    ok = cache.get(probe) == "1"
    cache.delete(probe)
    result = {"ok": ok, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}
    if not ok:
        # Redis set to ignore its errors (settings: IGNORE_EXCEPTIONS) just loses the value.
        result["error"] = "the cache did not keep a value written to it"
    return result


def check_broker():
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        transport = conn.transport_cls
    return {"ok": True, "transport": transport}


def check_worker():
    last = cache.get(HEARTBEAT_KEY)
    if last is None:
        return {"ok": False, "error": "no heartbeat yet"}
    age = time.time() - float(last)
    return {"ok": age <= settings.WORKER_HEARTBEAT_MAX_AGE, "last_heartbeat_seconds_ago": round(age, 1)}


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker, "worker": check_worker}


def run_checks():
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # report, never raise: this is the health page
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    return all(r["ok"] for r in results.values()), results


def may_see_details(request):
    """Staff signed in to the admin, or a monitor with HEALTHZ_TOKEN."""
    token = settings.HEALTHZ_TOKEN
    if token:
        scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and hmac.compare_digest(offered.strip().encode(), token.encode()):
            return True
    return request.user.has_perm("wagtailadmin.access_admin")
