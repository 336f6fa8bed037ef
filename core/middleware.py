from django.db import connections


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
