"""Real services started by tests and by ``make faults``: a private Redis (its own port,
so it can be stopped or frozen), a private PostgreSQL cluster (initdb in a temporary
directory, its own port, so it can be stopped and restarted), a Celery worker process,
an SMTP sink that counts what it receives per Message-ID and can refuse for a while."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout=120, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


PG_BIN = Path("/usr/lib/postgresql/15/bin")


def as_cluster_owner(args, **kwargs):
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *map(str, args)]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)


class PostgresCluster:
    """A private PostgreSQL 15 cluster: ``start()`` runs initdb in a temporary directory
    and starts it on a free port with a database ``alin``; ``stop()``/``restart()`` act
    on it alone (the machine's server is never touched); ``close()`` removes it."""

    def __init__(self, base=None, options=""):
        import tempfile

        if not (PG_BIN / "initdb").exists():
            raise FileNotFoundError(
                "PostgreSQL 15 server binaries absent (/usr/lib/postgresql/15/bin)"
            )
        self.base = Path(base or tempfile.mkdtemp(prefix="alin-pg-"))
        self.base.chmod(0o755)
        if os.geteuid() == 0:
            import shutil

            shutil.chown(self.base, "postgres", "postgres")
        self.data = self.base / "data"
        self.port = free_port()
        self.options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 " + options
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/alin"
        self.running = False

    def pg_ctl(self, *args):
        return as_cluster_owner(
            [PG_BIN / "pg_ctl", "-D", self.data, "-l", self.base / "server.log", *args]
        )

    def start(self):
        if not self.data.exists():
            as_cluster_owner(
                [
                    PG_BIN / "initdb",
                    "-D",
                    self.data,
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-locale",
                    "--encoding=UTF8",
                ]
            )
            self.pg_ctl("-w", "start", "-o", self.options)
            self.psql("CREATE DATABASE alin")
        else:
            self.pg_ctl("-w", "start", "-o", self.options)
        self.running = True

    def stop(self, mode="fast"):
        self.pg_ctl("-w", "-m", mode, "stop")
        self.running = False

    def restart(self, mode="fast"):
        self.pg_ctl("-w", "-m", mode, "restart", "-o", self.options)
        self.running = True

    def psql(self, sql, database="postgres"):
        return as_cluster_owner(
            [
                PG_BIN / "psql",
                "-h",
                "127.0.0.1",
                "-p",
                self.port,
                "-U",
                "postgres",
                "-d",
                database,
                "-tAc",
                sql,
            ]
        ).stdout.strip()

    def close(self):
        import contextlib
        import shutil

        if self.running:
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop(mode="immediate")
        shutil.rmtree(self.base, ignore_errors=True)


class RedisServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        for _ in range(50):
            try:
                redis.Redis.from_url(self.url).ping()
                return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def freeze(self):
        """SIGSTOP: the port still accepts connections, nothing answers (a hung Redis)."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self):
        if self.process:
            self.thaw()
            self.process.terminate()
            self.process.wait(5)
            self.process = None


def start_worker(*, database_url, redis_url, email_port, env=None, log_path=None):
    """A real Celery worker (solo pool) on every queue, as production runs it."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{email_port}",
        "CELERY_VISIBILITY_TIMEOUT": "3",
        "CONN_MAX_AGE": "0",
        "OUTBOX_LEASE_SECONDS": "3",
        **(env or {}),
    }
    output = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "alin", "worker", "--pool", "solo"]
        + ["-Q", "emails,alerts,housekeeping,celery", "-l", "info"]
        + ["--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT,
        env=environment,
        stdout=output,
        stderr=output,
    )


class SMTPSink:
    """A real SMTP server (aiosmtpd) recording every message it accepts.

    ``refuse_next(n)`` answers the next n deliveries with 451 at RCPT (a server refusing
    for a while); ``on_data`` runs when a message's body has fully arrived, before the
    server answers (the moment where a sender killed leaves an unconfirmed delivery).
    """

    def __init__(self, port=None):
        self.port = port or free_port()
        self.messages = []
        self.rcpt_calls = 0
        self._refuse = 0
        self.on_data = self.on_rcpt = None
        self._lock = threading.Lock()
        self.controller = None

    def refuse_next(self, count):
        self._refuse = count

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller:
            self.controller.stop()
            self.controller = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_calls += 1
        if self.on_rcpt:
            self.on_rcpt(session)
        if self._refuse > 0:
            self._refuse -= 1
            return "451 4.3.0 Essayez plus tard"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.on_data:
            self.on_data(session)
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
        await asyncio.sleep(0)
        return "250 Message accepted for delivery"

    def message_ids(self):
        return Counter(m["Message-ID"] for m in self.messages)

    def duplicates(self):
        return sum(n - 1 for n in self.message_ids().values() if n > 1)


def pid_of_peer(port, pids):
    """Which of these processes owns the local TCP port (the SMTP client's side)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                return pid
    return None
