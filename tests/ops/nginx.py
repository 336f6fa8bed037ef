"""Run Debian's nginx with the shipped docker/nginx.conf, outside Docker.

Only what Docker provides differs: the upstream ("web:8000" becomes the live server),
the listening port (a free one on 127.0.0.1) and the media volume's path. Everything
else (headers, body size, the /media/ location) is the shipped text.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "docker" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
COMPOSE_MEDIA = "/srv/alin/media/"

MAIN = """
{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include /etc/nginx/mime.types;
    include {tmp}/site.conf;
}}
"""


def nginx_available():
    return Path(NGINX).exists()


def render(*, upstream, port, media_root):
    text = SHIPPED.read_text()
    for old, new in (
        ("server web:8000;", f"server {upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        (COMPOSE_MEDIA, f"{str(media_root).rstrip('/')}/"),
    ):
        assert old in text, f"{old!r} is no longer in docker/nginx.conf"
        text = text.replace(old, new)
    return text


def write_config(tmp, *, upstream, port, media_root):
    tmp = Path(tmp)
    (tmp / "site.conf").write_text(render(upstream=upstream, port=port, media_root=media_root))
    main = tmp / "nginx.conf"
    # As root, workers would run as "nobody" and not read pytest's private temporary
    # folders (in Docker, the media volume is readable by nginx's user).
    user = "user root;" if os.geteuid() == 0 else ""
    main.write_text(MAIN.format(tmp=tmp, user=user))
    return main


@contextlib.contextmanager
def running_nginx(live_server=None, media_root=None, upstream_port=None):
    """nginx in front of pytest-django's live server (or a server on upstream_port);
    yields the port to talk to."""
    if not nginx_available():
        pytest.skip("nginx absent (apt-get install nginx-light)")
    from django.conf import settings

    if upstream_port is None:
        upstream_port = urllib.parse.urlsplit(live_server.url).port
    with tempfile.TemporaryDirectory(prefix="alin-nginx-") as tmp:
        port = free_port()
        config = write_config(
            tmp,
            upstream=f"127.0.0.1:{upstream_port}",
            port=port,
            media_root=media_root or settings.MEDIA_ROOT,
        )
        process = subprocess.Popen(
            [NGINX, "-c", str(config), "-p", tmp, "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            for _ in range(100):
                try:
                    import socket

                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    if process.poll() is not None:
                        raise RuntimeError(process.stderr.read().decode()) from None
                    time.sleep(0.05)
            yield port
        finally:
            process.terminate()
            process.wait(10)
