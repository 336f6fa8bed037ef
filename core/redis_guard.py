"""Remembering, per process, that Redis (cache or broker) failed a moment ago.

With Redis refused, each call fails fast; with Redis hung (SIGSTOP, a full network
buffer), each call waits for its socket timeout. A request touching the cache a few
times would then take seconds. After one failure, callers skip Redis for a short while
and use their fallback at once (local cache, the outbox waiting for ``dispatch``).
"""

import time

from django.conf import settings

_down_until: dict[str, float] = {}


def is_down(name):
    return time.monotonic() < _down_until.get(name, 0.0)


def mark_down(name, seconds=None):
    seconds = settings.REDIS_RETRY_AFTER_SECONDS if seconds is None else seconds
    _down_until[name] = time.monotonic() + seconds


def mark_up(name):
    _down_until.pop(name, None)


def reset():
    """Forget every failure (tests that restart Redis at will)."""
    _down_until.clear()
