from tests.worker_fixtures import broker, redis_server, sink, start_worker  # noqa: F401
