from django.db import connections
from django.utils.cache import patch_cache_control


class QueryCountHeaderMiddleware:
    """Adds ``X-SQL-Queries`` (queries run for the response) when BENCH_QUERY_COUNT is on.

    Used by the benchmark to report SQL queries per request under production settings,
    where Django does not record queries.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = {"n": 0}

        def count(execute, sql, params, many, context):
            counter["n"] += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(count):
            response = self.get_response(request)
        response["X-SQL-Queries"] = str(counter["n"])
        return response


class RejectNullCharactersMiddleware:
    """A NUL character in the path, the query string or a form field gets a 400 page in
    French before any view runs: PostgreSQL refuses it in text (a DataError, hence a
    500, wherever a view passes the raw value to a query), and no real input has one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_null(request):
            from django.http import JsonResponse
            from django.shortcuts import render

            if request.path.startswith("/api/"):  # the API answers its errors in JSON
                return JsonResponse(
                    {"detail": "La requête contient un caractère nul : elle est refusée."},
                    status=400,
                )
            return render(request, "core/bad_request.html", status=400)
        return self.get_response(request)


def _has_null(request):
    if "\x00" in request.path:
        return True
    for data in (request.GET, request.POST if request.method == "POST" else None):
        if data is None:
            continue
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False


class PrivateNoStoreMiddleware:
    """Every page and file served to a signed-in person (dashboard, candidatures,
    landlord files and PDFs, data export, admin) and the account pages hold personal
    data: ``Cache-Control: private, no-store``, so that neither a shared cache nor the
    browser's disk keeps a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/compte/"):
            patch_cache_control(response, private=True, no_store=True)
        return response
