"""The Redis cache, with a local fallback when Redis is refused or hung.

allauth counts sign-ins, sign-ups and resets in the cache. With Redis down, Django's
RedisCache raises (a 500 on every form) or, with Redis hung, waits for its socket
timeout on every call. Here a failing call marks Redis down for a few seconds
(core/redis_guard.py) and the cache falls back to this process's memory: rate limits
keep counting (per process: with N processes a client gets at most N times the limit,
never unlimited), pages keep answering, and Redis is used again as soon as it answers.
"""

import logging

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from . import redis_guard

logger = logging.getLogger(__name__)

GUARD = "cache"


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._fallback = LocMemCache(f"fallback-{server}", {"OPTIONS": {"MAX_ENTRIES": 10000}})

    def _call(self, name, *args, **kwargs):
        if not redis_guard.is_down(GUARD):
            try:
                return getattr(super(), name)(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 — redis errors, socket timeouts
                redis_guard.mark_down(GUARD)
                logger.warning("Redis cache unavailable (%s), local cache used: %s", name, exc)
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")
