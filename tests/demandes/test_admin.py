"""Advisors find a request in the admin by its number or a name; the registry is read only."""

from html import unescape

import pytest

from tests.demandes.factories import DemandeFactory, registry_record

pytestmark = pytest.mark.django_db


def test_advisors_find_a_request_by_number_or_name(admin_client):
    DemandeFactory(number="1110520020171G1175", birth_name="DUPONT")
    DemandeFactory(number="0080321000486G1U21", birth_name="NGUYEN")
    by_number = unescape(
        admin_client.get("/admin/demandes/demande/?q=0080321000486G1U21").content.decode()
    )
    assert "0080321000486G1U21" in by_number and "1110520020171G1175" not in by_number
    by_name = unescape(admin_client.get("/admin/demandes/demande/?q=dupont").content.decode())
    assert "1110520020171G1175" in by_name and "0080321000486G1U21" not in by_name


def test_the_registry_snapshot_cannot_be_edited_in_the_admin(admin_client):
    demande = DemandeFactory(fiscal_income=20000)
    admin_client.post(f"/admin/demandes/demande/{demande.pk}/change/", {"fiscal_income": 1})
    demande.refresh_from_db()
    assert demande.fiscal_income == 20000
    assert admin_client.get("/admin/demandes/demande/add/").status_code == 403


def test_registry_records_are_read_only(admin_client):
    record = registry_record()
    page = admin_client.get("/admin/demandes/registryrecord/?q=1110520020171G1175")
    assert "1110520020171G1175" in page.content.decode()
    change = admin_client.get(f"/admin/demandes/registryrecord/{record.pk}/change/")
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
    assert admin_client.get("/admin/demandes/registryrecord/add/").status_code == 403
