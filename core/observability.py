"""JSON logs that tie a request to the tasks it queues.

Each request gets an id (``X-Request-ID`` from the proxy when well formed, else a new
one), returned in the response's ``X-Request-ID`` header. Every log line written while
the request runs carries it, with the user id and the path; one line per request adds
the status and the duration. A task published during the request carries the id in its
message headers, and the worker puts it back while the task runs, so the worker's lines
(an email that failed, say) point to the request that caused them.
"""

import contextvars
import logging
import re
import time
import uuid

from django.utils.functional import SimpleLazyObject, empty

request_id_var = contextvars.ContextVar("request_id", default=None)
user_id_var = contextvars.ContextVar("user_id", default=None)
path_var = contextvars.ContextVar("path", default=None)

VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "request_id"  # the Celery message header
logger = logging.getLogger("alin.requests")


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and path to every record (None outside a request)."""

    def filter(self, record):
        for name, var in (("request_id", request_id_var), ("user_id", user_id_var)):
            if not hasattr(record, name):
                setattr(record, name, var.get())
        if not hasattr(record, "path"):
            record.path = path_var.get()
        return True


class RequestLogMiddleware:
    """Sets the request's id, user and path for the logs; logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        tokens = [request_id_var.set(request_id), path_var.set(request.path)]
        tokens.append(user_id_var.set(None))
        start = time.monotonic()
        try:
            response = self.get_response(request)
            user_id_var.set(_user_id(request))
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - start) * 1000, 1),
                },
            )
            return response
        finally:
            for var, token in zip((request_id_var, path_var, user_id_var), tokens, strict=True):
                var.reset(token)


def _user_id(request):
    """The signed-in user's id, if the request already loaded the user (no extra query)."""
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        if user._wrapped is empty:
            return None
        user = user._wrapped
    return user.pk if user is not None and user.is_authenticated else None


def _add_request_id(headers=None, **kwargs):
    request_id = request_id_var.get()
    if request_id and headers is not None:
        headers.setdefault(HEADER, request_id)


_task_tokens = {}


def _enter_task(task_id=None, task=None, **kwargs):
    request_id = getattr(task.request, HEADER, None) if task is not None else None
    _task_tokens[task_id] = request_id_var.set(request_id or f"task-{task_id}")


def _leave_task(task_id=None, **kwargs):
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)


def connect_celery_signals():
    from celery import signals

    signals.before_task_publish.connect(_add_request_id, weak=False)
    signals.task_prerun.connect(_enter_task, weak=False)
    signals.task_postrun.connect(_leave_task, weak=False)
