import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from demandes.demo import DEMO_FILE
from demandes.models import RegistryRecord
from tests.demandes.factories import registry_data
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def run(tmp_path, records, *args):
    """Write the records one a line (record n on line n + 1) and import them."""
    path = tmp_path / "registre.json"
    lines = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
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
    assert "6 enregistrement(s) lu(s) : 1 créé(s), 0 mis à jour, 5 refusé(s)" in out
    assert (
        "Enregistrement 2, ligne 3 (0080321000486G1U2) : numéro unique : "
        "Le Numéro Unique comporte 18" in err
    )
    assert "Enregistrement 3, ligne 4 (0080321000486G1U21) : email invalide" in err
    line4 = next(line for line in err.splitlines() if line.startswith("Enregistrement 4"))
    assert "SIRET de l'employeur invalide" in line4
    assert "communes inconnues : 99999" in line4
    assert "revenu fiscal de référence invalide" in line4
    assert (
        "Enregistrement 5, ligne 6 (1110520020171G1175) : "
        "numéro déjà présent à l'enregistrement 1" in err
    )
    assert "Enregistrement 6, ligne 7 (?) : enregistrement : objet JSON attendu" in err
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
    for text, reason in [
        ("[{", "JSON invalide ligne 1"),
        ('[\n{"numero": "1110520020171G1175"}\n{"numero": "X"}]', "JSON invalide ligne 3"),
        ('{"numero": "1110520020171G1175"}', "liste d'enregistrements"),
        ("[]]", "contenu après la fin de la liste"),
    ]:
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(CommandError, match=f"Fichier illisible .*{reason}"):
            call_command("import_registre", str(bad))
    assert not RegistryRecord.objects.exists()


def test_an_indented_file_reports_the_line_where_the_bad_record_starts(tmp_path):
    CommuneFactory()
    path = tmp_path / "registre.json"
    records = [registry_data(), registry_data(number="0080321000486G1U21", email="?")]
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    err = StringIO()
    call_command("import_registre", str(path), stdout=StringIO(), stderr=err)
    start = json.dumps(records, indent=2).splitlines().index("  {", 2) + 1  # the second "{"
    assert err.getvalue().startswith(f"Enregistrement 2, ligne {start} (0080321000486G1U21)")


def test_the_demo_registry_file_is_valid_and_its_communes_are_real():
    """Every record of demandes/data/registre_demo.json imports (real INSEE codes)."""
    call_command("load_communes", stdout=StringIO())
    out, err = StringIO(), StringIO()
    call_command("import_registre", str(DEMO_FILE), stdout=out, stderr=err)
    assert err.getvalue() == ""
    assert "43 enregistrement(s) lu(s) : 43 créé(s), 0 mis à jour, 0 refusé(s)" in out.getvalue()
    departments = {
        code[:2]
        for data in RegistryRecord.objects.values_list("data", flat=True)
        for code in data["communes_souhaitees"]
    }
    assert departments <= {"75", "92", "93", "94", "69", "13", "33", "31", "44", "59"}
