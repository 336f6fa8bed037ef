"""PostgreSQL restarted under a running portal (issue 20, acceptance: "PostgreSQL
restarted where the test can own a private cluster"). The portal's database is a private
cluster started here (initdb on a free port, tests.services.PostgresCluster, as the
replica test's); gunicorn serves the portal in production mode with its persistent
connections. Restarted between two requests, then stopped for 10 s and started again:
every request gets an answer at once (the French error page, or a page that needs no
database), /healthz says "down" (503) during the outage and "ok" after, and service
comes back without restarting the web process. The same scenario writes its figures to
docs/operations.md (`make faults`)."""

import pytest

from tests.ops import pg_restart
from tests.services import PG_BIN

BUDGET = 5.0  # seconds: an answer, never a hang (measured: hundredths of a second)


def test_pages_answer_while_postgresql_restarts_and_service_comes_back_by_itself():
    if not (PG_BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 server binaries absent (/usr/lib/postgresql/15/bin)")
    seen = pg_restart.run()
    normal = pg_restart.NORMAL
    assert seen["before"] == normal
    assert list(seen["health_before"]) == [200, "ok"]
    # Restarted between two requests: the kept connection is checked, not used dead.
    assert list(seen["health_after_quick_restart"]) == [200, "ok"]
    assert seen["after_quick_restart"] == normal
    # Stopped: every request answered within the budget, errors on the French error page.
    assert seen["outage_requests"] > 20
    assert seen["outage_no_answer"] == 0
    assert set(seen["outage_statuses"]) <= {200, 500, 503}
    assert 500 in seen["outage_statuses"]  # the offer's page needs the database
    assert seen["outage_error_page"]
    assert seen["outage_slowest"] < BUDGET, seen
    assert [tuple(h) for h in seen["health_during"]] == [(503, "down")]
    # Started again: normal service at once, the same gunicorn master and worker.
    assert seen["healthy_after"] is not None and seen["healthy_after"] < 30, seen
    assert seen["errors_after_back"] == 0
    assert list(seen["health_after"]) == [200, "ok"]
    assert seen["after"] == normal
    assert seen["same_web_process"]
