"""Health and readiness for load balancers, orchestrators and monitoring.

* ``/healthz``: the process runs and answers (liveness). It touches neither the database nor
  the cache, so a database outage never makes a supervisor restart healthy workers.
* ``/readyz``: the process can serve pages: the database and the default cache answer.
  A load balancer takes an instance out of rotation while it answers 503.

Neither address carries a language prefix, and neither response may be cached anywhere: a
cached "ok" would hide an outage.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


def database_answers():
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers():
    # A key of its own per check, so that concurrent checks of several instances sharing one
    # cache cannot read each other's value.
    key = f"operations:readyz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        return cache.get(key) == "ok"
    finally:
        cache.delete(key)


CHECKS = {"database": database_answers, "cache": cache_answers}


@never_cache
@require_safe
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failed"
        except Exception as error:  # any failure means "not ready", and says which
            logger.warning("readiness check %s failed: %s", name, error)
            results[name] = "failed"
    ready = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", **results}, status=200 if ready else 503
    )
