"""The README's backup and restore, run for real: pg_dump and a tar of the media, the
media lost, a new database restored with pg_restore, and the portal (gunicorn behind the
shipped nginx) serves the same offer and the same photo (issue 20, "README")."""

import re
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from offres.services import add_photo
from tests.offres.factories import OfferFactory
from tests.ops.nginx import running_nginx
from tests.ops.pg import scratch_database
from tests.ops.servers import (
    ROOT,
    database_url_of_the_test_run,
    get,
    gunicorn,
    production_server_env,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def served(port, offer_pk):
    status, _, page = get(port, f"/offres/{offer_pk}/")
    assert status == 200
    title = re.search(rb"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()
    photos = {src: get(port, src.decode())[2] for src in re.findall(rb'src="(/media/[^"]+)"', page)}
    return title, photos


def test_dump_lose_everything_restore_and_the_same_data_is_served(tmp_path, settings, postgres):
    offer = OfferFactory(title="T3 avec balcon, sauvegardé puis restauré")
    buffer = BytesIO()
    Image.new("RGB", (640, 480), (200, 80, 40)).save(buffer, "JPEG")
    add_photo(offer=offer, uploaded=SimpleUploadedFile("p.jpg", buffer.getvalue()))
    static = tmp_path / "static"
    media = settings.MEDIA_ROOT
    env = production_server_env(STATIC_ROOT=str(static), MEDIA_ROOT=str(media))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with gunicorn(env) as upstream, running_nginx(upstream_port=upstream, media_root=media) as p:
        before = served(p, offer.pk)
    assert before[1], "the offer page shows its photo"

    # Backup (README "Backups"): a custom-format dump and an archive of the media.
    dump = tmp_path / "alin.dump"
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            f"--dbname={database_url_of_the_test_run()}",
        ],
        check=True,
    )
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
        archive.add(media, arcname="media")

    # Disaster: the media are gone; the database is restored into a new, empty one.
    shutil.rmtree(media)
    restored_media = tmp_path / "restored"
    with scratch_database("restore") as url:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={url}", str(dump)],
            check=True,
        )
        with tarfile.open(tmp_path / "media.tar.gz") as archive:
            archive.extractall(restored_media, filter="data")
        env = production_server_env(
            STATIC_ROOT=str(static),
            MEDIA_ROOT=str(restored_media / "media"),
            DATABASE_URL=url,
        )
        with (
            gunicorn(env) as upstream,
            running_nginx(upstream_port=upstream, media_root=restored_media / "media") as port,
        ):
            after = served(port, offer.pk)
    assert after == before
