import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demandes.models import RegistryRecord
from tests.demandes.factories import registry_data
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def run(tmp_path, records, *args):
    path = tmp_path / "registre.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_registre", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_good_records_are_imported_and_bad_ones_reported_with_the_reason(tmp_path):
    CommuneFactory()
    records = [
        registry_data(number="1110520020171G1175"),
        registry_data(number="0080321000486G1U2"),
        registry_data(number="0080321000486G1U21", email="pas-une-adresse"),
        registry_data(
            number="0930321000486G1U21",
            siret_employeur="73282932000075",
            communes_souhaitees=["99999"],
            revenu_fiscal_reference="beaucoup",
        ),
        registry_data(number="1110520020171G1175"),
        "pas un objet",
    ]
    out, err = run(tmp_path, records)
    assert "6 enregistrement(s) lu(s) : 1 créé(s), 0 mis à jour, 5 refusé(s)." in out
    assert (
        "Enregistrement 2 (0080321000486G1U2) : numéro unique : Le Numéro Unique comporte 18" in err
    )
    assert "Enregistrement 3 (0080321000486G1U21) : email invalide" in err
    line4 = next(line for line in err.splitlines() if line.startswith("Enregistrement 4"))
    assert "SIRET de l'employeur invalide" in line4
    assert "communes inconnues : 99999" in line4
    assert "revenu fiscal de référence invalide" in line4
    assert "Enregistrement 5 (1110520020171G1175) : numéro déjà présent à l'enregistrement 1" in err
    assert "Enregistrement 6 (?) : enregistrement : objet JSON attendu" in err
    assert list(RegistryRecord.objects.values_list("number", flat=True)) == ["1110520020171G1175"]


def test_a_second_run_updates_and_never_duplicates(tmp_path):
    CommuneFactory()
    run(tmp_path, [registry_data(revenu_fiscal_reference=20000)])
    out, _ = run(tmp_path, [registry_data(revenu_fiscal_reference=25000)])
    assert "0 créé(s), 1 mis à jour" in out
    assert RegistryRecord.objects.get().data["revenu_fiscal_reference"] == 25000


def test_strict_mode_and_unreadable_files_change_nothing(tmp_path):
    CommuneFactory()
    with pytest.raises(CommandError, match="rien n'a été importé"):
        run(tmp_path, [registry_data(), registry_data(number="X")], "--strict")
    bad = tmp_path / "corrompu.json"
    bad.write_text("[{", encoding="utf-8")
    with pytest.raises(CommandError, match="Fichier illisible"):
        call_command("import_registre", str(bad))
    assert not RegistryRecord.objects.exists()
