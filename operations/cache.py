"""The shared cache on Redis, and what happens while Redis is away.

With REDIS_URL set (settings: CACHES), cached pages, results, the content generation and the
sessions' cache live in Redis, shared by every app server. Redis is a speed-up, never a
source of truth: sessions are also in the database (cached_db), pages are rendered again.
So a Redis outage must cost speed only.

Django's own RedisCache raises redis-py's ConnectionError or TimeoutError on every call
while Redis is unreachable, and has no option to ignore them (unlike the memcached
backends' behaviour of answering misses). Every cache call in the portal and in Django
(sessions, the page cache) would then turn into a 500. ResilientRedisCache answers a miss
(get), "not stored" (add, set) or nothing (delete) instead, logs the failure, and for
``RETRY_AFTER`` seconds does not even try, so that each request does not wait for a
connect timeout. The socket timeouts (OPTIONS in settings) are short for the same reason.

clear() deletes only the keys under this cache's KEY_PREFIX instead of the whole Redis
database (FLUSHDB), because one Redis is often shared: by several portals, by the test runs
of CI, by other services.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, calls answer at once (as misses) for this long before Redis is tried again.
RETRY_AFTER = 5.0


class ResilientRedisCache(RedisCache):
    _down_until = 0.0

    def _call(self, what, fallback, operation):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return operation()
        except RedisError as error:
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning(
                "Redis cache unreachable (%s: %s); working uncached for %.0f s",
                what,
                error,
                RETRY_AFTER,
            )
            return fallback

    @property
    def available(self):
        """False while the last failure is recent (for the readiness check)."""
        return time.monotonic() >= self._down_until

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "add", False, lambda: super(ResilientRedisCache, self).add(key, value, timeout, version)
        )

    def get(self, key, default=None, version=None):
        return self._call(
            "get", default, lambda: super(ResilientRedisCache, self).get(key, default, version)
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set", None, lambda: super(ResilientRedisCache, self).set(key, value, timeout, version)
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "touch", False, lambda: super(ResilientRedisCache, self).touch(key, timeout, version)
        )

    def delete(self, key, version=None):
        return self._call(
            "delete", False, lambda: super(ResilientRedisCache, self).delete(key, version)
        )

    def get_many(self, keys, version=None):
        return self._call(
            "get_many", {}, lambda: super(ResilientRedisCache, self).get_many(keys, version)
        )

    def has_key(self, key, version=None):
        return self._call(
            "has_key", False, lambda: super(ResilientRedisCache, self).has_key(key, version)
        )

    def incr(self, key, delta=1, version=None):
        # A missing key still raises ValueError, as the cache API says (the content
        # generation relies on it); an unreachable Redis answers None: nothing is cached
        # then, so a lost increment invalidates nothing that could be served.
        return self._call(
            "incr", None, lambda: super(ResilientRedisCache, self).incr(key, delta, version)
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set_many",
            list(data),
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
        )

    def delete_many(self, keys, version=None):
        return self._call(
            "delete_many",
            None,
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
        )

    def clear(self):
        def delete_own_keys():
            client = self._cache.get_client(None, write=True)
            # Keys are "<prefix>:<version>:<key>" (Django's default KEY_FUNCTION).
            pattern = f"{self.key_prefix}:*" if self.key_prefix else None
            if pattern is None:
                return bool(client.flushdb())
            batch = []
            for key in client.scan_iter(match=pattern, count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    client.delete(*batch)
                    batch = []
            if batch:
                client.delete(*batch)
            return True

        return self._call("clear", False, delete_own_keys)
