"""Routing to a read replica by model and intent, proven against a real streaming
replica started here: a private PostgreSQL 15 cluster (initdb) and its standby
(pg_basebackup -R) on two ports; replay is paused to make the replica lag (issue 20,
"Read replica")."""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.ops.pg import production_env
from tests.services import PG_BIN, as_cluster_owner

ROOT = Path(__file__).resolve().parents[2]
BIN = PG_BIN


@contextlib.contextmanager
def primary_and_replica():
    if not (BIN / "initdb").exists():
        pytest.skip("PostgreSQL 15 server binaries absent (/usr/lib/postgresql/15/bin)")
    base = Path(tempfile.mkdtemp(prefix="alin-replica-"))
    base.chmod(0o755)
    if os.geteuid() == 0:
        shutil.chown(base, "postgres", "postgres")
    primary, replica = base / "primary", base / "replica"
    ports = free_port(), free_port()
    started = []
    try:
        as_cluster_owner(
            [
                BIN / "initdb",
                "-D",
                primary,
                "-U",
                "postgres",
                "--auth=trust",
                "--no-locale",
                "--encoding=UTF8",
            ]
        )
        options = f"-k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        as_cluster_owner(
            [
                BIN / "pg_ctl",
                "-D",
                primary,
                "-l",
                base / "primary.log",
                "-w",
                "start",
                "-o",
                f"-p {ports[0]} {options} -c wal_level=replica -c max_wal_senders=4",
            ]
        )
        started.append(primary)
        as_cluster_owner(
            [
                BIN / "psql",
                "-h",
                "127.0.0.1",
                "-p",
                ports[0],
                "-U",
                "postgres",
                "-c",
                "CREATE DATABASE alin",
            ]
        )
        as_cluster_owner(
            [
                BIN / "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                ports[0],
                "-U",
                "postgres",
                "-D",
                replica,
                "-R",
                "-X",
                "stream",
            ]
        )
        as_cluster_owner(
            [
                BIN / "pg_ctl",
                "-D",
                replica,
                "-l",
                base / "replica.log",
                "-w",
                "start",
                "-o",
                f"-p {ports[1]} {options} -c hot_standby=on",
            ]
        )
        started.append(replica)
        yield (
            f"postgres://postgres@127.0.0.1:{ports[0]}/alin",
            f"postgres://postgres@127.0.0.1:{ports[1]}/alin",
        )
    finally:
        for cluster in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                as_cluster_owner([BIN / "pg_ctl", "-D", cluster, "-m", "immediate", "stop"])
        shutil.rmtree(base, ignore_errors=True)


def test_search_reads_the_replica_while_writes_are_read_back_from_the_primary():
    with primary_and_replica() as (primary_url, replica_url):
        env = production_env(
            DEBUG="true",
            DATABASE_URL=primary_url,
            DATABASE_REPLICA_URL=replica_url,
            REDIS_URL="",
            CONN_MAX_AGE="0",
            DJANGO_ALLOW_ASYNC_UNSAFE="true",
        )
        out = subprocess.run(
            [sys.executable, "tests/ops/replica_scenario.py"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert out.returncode == 0, out.stderr[-5000:]
        seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["replay_paused"] is True
    # Public search: offers are read on the replica, not on the primary.
    assert seen["search_status"] == [200, 200]
    assert seen["search_shows_offer"]
    assert seen["search_offer_reads_on_replica"] and not seen["search_offer_reads_on_primary"]
    # The landlord's new offer is not on the lagging replica, yet the landlord sees it.
    assert seen["landlord_create_status"] == 302 and seen["landlord_offer_created"]
    assert seen["replica_has_new_offer"] is False
    assert seen["landlord_view_status"] == 200
    assert seen["landlord_edit_status"] == 200
    assert seen["landlord_list_shows_it"]
    # The applicant's candidature is not on the replica, yet "Mes candidatures" lists it.
    assert seen["apply_status"] == 302 and "ajoutee" in seen["apply_redirect"], seen
    assert seen["primary_has_candidature"] and seen["replica_has_candidature"] is False
    assert seen["list_status"] == 200 and seen["list_shows_candidature"]
