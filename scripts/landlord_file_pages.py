"""The landlord's PDF file as PNG pages for docs/candidatures.md, from the demo data.

Renders the file of the demo's housed applicant (demo.candidat10@, "Entrée dans les
lieux") as the demo landlord downloads it, then converts each page with pdftoppm
(poppler-utils):
    python scripts/landlord_file_pages.py docs/screenshots
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alin.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from candidatures.models import Candidature  # noqa: E402
from candidatures.workflow import Status  # noqa: E402
from offres.models import LandlordMembership  # noqa: E402

APPLICANT = "demo.candidat10@alin.example"
PREFIX = "dossier-bailleur-page"


def main(out="docs/screenshots"):
    candidature = Candidature.objects.get(applicant__email=APPLICANT, status=Status.MOVED_IN)
    staff = LandlordMembership.objects.filter(landlord=candidature.offer.landlord).first().user
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    response = client.get(reverse("bailleur_candidatures:pdf", args=[candidature.pk]))
    if response.status_code != 200 or response["Content-Type"] != "application/pdf":
        sys.exit(f"Le dossier n'a pas pu être produit : {response.status_code}")
    out = Path(out)
    for old in out.glob(f"{PREFIX}-*.png"):
        old.unlink()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(response.content)
        pdf.flush()
        subprocess.run(  # noqa: S603 — fixed arguments
            ["pdftoppm", "-png", "-r", "70", pdf.name, str(out / PREFIX)],  # noqa: S607
            check=True,
        )
    for page in sorted(out.glob(f"{PREFIX}-*.png")):
        print(page)


if __name__ == "__main__":
    main(*sys.argv[1:])
