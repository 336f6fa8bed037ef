"""The portal as production runs it: gunicorn, DEBUG off, in a subprocess."""

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from tests.conftest import free_port
from tests.ops.pg import production_env, server_url, with_database

ROOT = Path(__file__).resolve().parents[2]


def database_url_of_the_test_run():
    """The pytest database, for a subprocess to read what a transactional test wrote."""
    return with_database(server_url(), settings.DATABASES["default"]["NAME"])


def production_server_env(**extra):
    values = {
        "DATABASE_URL": database_url_of_the_test_run(),
        "REDIS_URL": "",
        "CONN_MAX_AGE": "0",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_URL": "consolemail://",
    }
    values.update(extra)
    return production_env(**values)


def wait_for_port(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode()[-3000:])
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


@contextlib.contextmanager
def gunicorn(env):
    with gunicorn_process(env) as (port, _):
        yield port


@contextlib.contextmanager
def gunicorn_process(env):
    """gunicorn (one worker) and its master process, to check that it was not restarted.
    Its log goes to a file: a pipe nobody reads would fill up and block the server."""
    import tempfile

    port = free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "alin.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "150",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(log.read().decode()[-3000:])
                with contextlib.suppress(OSError):
                    socket.create_connection(("127.0.0.1", port), 0.2).close()
                    break
                time.sleep(0.1)
            yield port, process
        finally:
            process.terminate()
            process.wait(20)


def get(port, path, host="127.0.0.1"):
    """(status, headers, body) of a GET, errors included."""
    request = urllib.request.Request(f"http://{host}:{port}{path}")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()
