"""Fill the registry store from the national registry's JSON export (idempotent)."""

import json
import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demandes.models import RegistryRecord
from demandes.numbers import normalise_number
from demandes.records import RecordView, check_record
from territoires.models import Commune, Department

BATCH = 2000
_SPACE = re.compile(r"[ \t\n\r]*")


def read_records(text):
    """Parse a JSON list of records; return (line where each record starts, record) pairs.

    The line numbers let each bad record be reported where an operator will find it.
    Raises ValueError (French) when the text is not a JSON list.
    """
    decoder = json.JSONDecoder()
    pos = _SPACE.match(text, 0).end()
    if not text.startswith("[", pos):
        raise ValueError("le fichier doit contenir une liste d'enregistrements JSON")
    pos = _SPACE.match(text, pos + 1).end()
    line, counted, records = 1, 0, []
    if text.startswith("]", pos):
        pos += 1
    else:
        while True:
            line += text.count("\n", counted, pos)
            counted = pos
            try:
                value, pos = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                raise ValueError(f"JSON invalide ligne {exc.lineno} : {exc.msg}") from exc
            records.append((line, value))
            pos = _SPACE.match(text, pos).end()
            if text.startswith(",", pos):
                pos = _SPACE.match(text, pos + 1).end()
            elif text.startswith("]", pos):
                pos += 1
                break
            else:
                line += text.count("\n", counted, pos)
                raise ValueError(f"JSON invalide ligne {line} : ',' ou ']' attendu")
    if _SPACE.match(text, pos).end() != len(text):
        raise ValueError("JSON invalide : contenu après la fin de la liste")
    return records


class Command(BaseCommand):
    help = (
        "Importe le registre national des demandes depuis un fichier JSON : chaque "
        "enregistrement est vérifié, les mauvais sont signalés avec leur raison, les "
        "autres créés ou mis à jour."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier JSON : une liste d'enregistrements.")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="N'importer rien si un seul enregistrement est invalide.",
        )

    def handle(self, *args, file, strict=False, **options):
        try:
            with open(file, encoding="utf-8") as fh:
                records = read_records(fh.read())
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise CommandError(f"Fichier illisible ({file}) : {exc}") from exc

        communes = set(Commune.objects.values_list("insee_code", flat=True))
        departments = set(Department.objects.values_list("code", flat=True))
        today = timezone.localdate()
        good, bad, expired, seen = [], 0, 0, {}
        for index, (line, raw) in enumerate(records, 1):
            problems = check_record(raw, communes, departments, today)
            number = normalise_number(str(raw.get("numero", ""))) if isinstance(raw, dict) else ""
            if not problems and number in seen:
                problems = [f"numéro déjà présent à l'enregistrement {seen[number]}"]
            if problems:
                bad += 1
                self.stderr.write(
                    f"Enregistrement {index}, ligne {line} ({number or '?'}) : "
                    + " ; ".join(problems)
                )
                continue
            seen[number] = index
            # Not renewed within the year: struck off, yet imported and shown as such.
            expired += RecordView(raw).valid_until() < today
            applicant = raw["demandeur"]
            good.append(
                RegistryRecord(
                    number=number,
                    email=raw["email"].lower(),
                    birth_name=applicant["nom_naissance"].strip(),
                    first_name=applicant["prenom"].strip(),
                    birth_date=date.fromisoformat(applicant["date_naissance"]),
                    data={**raw, "numero": number},
                )
            )
        if strict and bad:
            raise CommandError(f"{bad} enregistrement(s) invalide(s) : rien n'a été importé.")
        with transaction.atomic():
            existing = set(
                RegistryRecord.objects.filter(number__in=seen).values_list("number", flat=True)
            )
            for start in range(0, len(good), BATCH):
                RegistryRecord.objects.bulk_create(
                    good[start : start + BATCH],
                    update_conflicts=True,
                    unique_fields=["number"],
                    update_fields=[
                        "email",
                        "birth_name",
                        "first_name",
                        "birth_date",
                        "data",
                        "updated_at",
                    ],
                )
        created = len(good) - len(existing)
        self.stdout.write(
            f"{len(records)} enregistrement(s) lu(s) : {created} créé(s), "
            f"{len(existing)} mis à jour, {bad} refusé(s) ; {expired} demande(s) expirée(s) "
            "(non renouvelée(s) depuis plus d'un an, importée(s) comme telles)."
        )
