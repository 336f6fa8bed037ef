"""The portal in production mode (gunicorn, DEBUG=false) behind the shipped nginx:
health fails without collectstatic, media are served by nginx, the upload size of the
proxy matches the portal's (issue 20, "Production settings")."""

import json
import re
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from offres import photos
from offres.services import add_photo
from tests.offres.factories import OfferFactory
from tests.ops.nginx import SHIPPED, running_nginx
from tests.ops.servers import ROOT, get, gunicorn, production_server_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def jpeg(size=(800, 600)):
    buffer = BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_without_collectstatic_health_fails_then_passes_after_it(tmp_path, postgres):
    static_root = tmp_path / "static"
    static_root.mkdir()
    env = production_server_env(STATIC_ROOT=str(static_root), MEDIA_ROOT=str(tmp_path / "m"))
    with gunicorn(env) as port:
        status, _, body = get(port, "/healthz")
        assert status == 503
        assert json.loads(body)["checks"]["static"].startswith("error: collectstatic")
        assert get(port, "/")[0] == 500  # what the health check protects from
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert collect.returncode == 0, collect.stderr
    with gunicorn(env) as port:
        status, _, body = get(port, "/healthz")
        assert status == 200, body
        assert json.loads(body)["checks"]["static"] == "ok"
        assert get(port, "/")[0] == 200


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    env = production_env_for_collect(root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return root


def production_env_for_collect(root):
    from tests.ops.pg import production_env

    return production_env(STATIC_ROOT=str(root), DATABASE_URL="sqlite:///:memory:")


def test_uploaded_photos_are_served_by_nginx_in_production(
    tmp_path, settings, collected_static, postgres
):
    offer = OfferFactory()
    photo = add_photo(offer=offer, uploaded=jpeg())
    env = production_server_env(
        STATIC_ROOT=str(collected_static), MEDIA_ROOT=str(settings.MEDIA_ROOT)
    )
    with gunicorn(env) as upstream, running_nginx(upstream_port=upstream) as port:
        status, _, page = get(port, f"/offres/{offer.pk}/")
        assert status == 200
        sources = re.findall(rb'src="(/media/[^"]+)"', page)
        assert f"/media/{photo.image.name}".encode() in sources
        for source in sources:
            status, headers, body = get(port, source.decode())
            assert status == 200, source
            assert headers["Content-Type"] == "image/jpeg"
            assert headers["X-Content-Type-Options"] == "nosniff"
            name = source.decode().removeprefix("/media/")
            assert body == (Path(settings.MEDIA_ROOT) / name).read_bytes()
        # The portal itself does not serve media in production: nginx does.
        assert get(upstream, f"/media/{photo.image.name}")[0] == 404


def shipped_body_limit():
    value = re.search(r"client_max_body_size\s+(\d+)m;", SHIPPED.read_text()).group(1)
    return int(value) * 1024 * 1024


def test_the_proxy_accepts_the_largest_upload_the_portal_accepts():
    largest_photo_request = photos.MAX_PER_UPLOAD * photos.MAX_UPLOAD_BYTES
    limit = shipped_body_limit()
    # Room for the biggest photo batch and its form, and not much more.
    assert largest_photo_request < limit <= largest_photo_request + 2 * 1024 * 1024


def post_body(port, size):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.putrequest("POST", "/")
    conn.putheader("Content-Type", "application/octet-stream")
    conn.putheader("Content-Length", str(size))
    conn.endheaders()
    chunk = b"\0" * (1024 * 1024)
    sent = 0
    try:
        while sent < size:
            part = chunk[: min(len(chunk), size - sent)]
            conn.send(part)
            sent += len(part)
    except (BrokenPipeError, ConnectionResetError):
        pass  # nginx answered 413 and closed before the end of the body
    status = conn.getresponse().status
    conn.close()
    return status


def test_through_nginx_a_full_photo_batch_reaches_the_portal_a_bigger_body_does_not(
    collected_static, tmp_path, postgres
):
    env = production_server_env(STATIC_ROOT=str(collected_static), MEDIA_ROOT=str(tmp_path))
    largest_photo_request = photos.MAX_PER_UPLOAD * photos.MAX_UPLOAD_BYTES
    with gunicorn(env) as upstream, running_nginx(upstream_port=upstream) as port:
        # Reaches Django (which refuses the CSRF-less POST: 403), not stopped by nginx.
        assert post_body(port, largest_photo_request + 512 * 1024) == 403
        assert post_body(port, shipped_body_limit() + 1024 * 1024) == 413
