"""The registry's JSON record of a request: validation and reading.

The format (one object per request, French keys as in the national system's export)
is documented in docs/demandes.md. ``check_record`` lists every problem of a record in
French; ``RecordView`` reads a valid record for the portal.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from stdnum.fr import siret as stdnum_siret

from .household import Person, category_reason, household_category
from .numbers import validate_number
from .validity import valid_until

# Registry civilité → the portal's (accounts.User.Civility values).
CIVILITIES = {"MME": "mme", "M": "m"}
TYPOLOGIES = {"T1": 1, "T2": 2, "T3": 3, "T4": 4, "T5": 5, "T6": 6, "T6+": 6}
PROFESSIONAL_SITUATIONS = {
    "cdi",
    "public",
    "cdd",
    "independant",
    "chomage",
    "apprenti",
    "etudiant",
    "retraite",
    "autre",
}
DOCUMENT_KINDS = {
    "identite",
    "avis_imposition_n2",
    "avis_imposition_n1",
    "bulletins_salaire",
    "justificatif_ressources",
    "situation_familiale",
    "logement_actuel",
    "contrat_travail",
    "handicap",
    "grossesse",
    "jugement_expulsion",
}


def _date(value, label, problems, required=True):
    if value in (None, ""):
        if required:
            problems.append(f"{label} manquante")
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{label} invalide ({value!r}, attendu AAAA-MM-JJ)")
        return None


def _amount(value, label, problems):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        problems.append(f"{label} invalide ({value!r})")
        return None
    if amount < 0 or amount > Decimal("10000000"):
        problems.append(f"{label} hors limites ({value})")
        return None
    return amount


def _person(raw, label, problems):
    if not isinstance(raw, dict):
        problems.append(f"{label} : objet attendu")
        return None
    for key, name in (("nom_naissance", "nom de naissance"), ("prenom", "prénom")):
        if not str(raw.get(key) or "").strip():
            problems.append(f"{label} : {name} manquant")
    civility = raw.get("civilite")
    if civility not in (None, "", *CIVILITIES):
        problems.append(f"{label} : civilité inconnue ({civility!r}, M ou MME attendu)")
    for key, name in (
        ("telephone_portable", "téléphone portable"),
        ("telephone_fixe", "téléphone fixe"),
    ):
        if raw.get(key) and not _is_phone(raw[key]):
            problems.append(f"{label} : {name} invalide ({raw[key]!r})")
    if raw.get("email"):
        try:
            validate_email(str(raw["email"]))
        except ValidationError:
            problems.append(f"{label} : email invalide ({raw['email']!r})")
    situation = raw.get("situation_professionnelle", "")
    if situation and situation not in PROFESSIONAL_SITUATIONS:
        problems.append(f"{label} : situation professionnelle inconnue ({situation!r})")
    siret = raw.get("siret_employeur") or ""
    if siret and not stdnum_siret.is_valid(str(siret)):
        problems.append(f"{label} : SIRET de l'employeur invalide ({siret!r})")
    birth = _date(raw.get("date_naissance"), f"{label} : date de naissance", problems)
    return birth


def _is_phone(value):
    import phonenumbers

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(str(value), "FR"))
    except phonenumbers.NumberParseException:
        return False


def check_record(raw, known_communes=None, known_departments=None, today=None):
    """Return the list of problems of a record (empty when it can be imported)."""
    problems = []
    if not isinstance(raw, dict):
        return ["enregistrement : objet JSON attendu"]
    try:
        validate_number(str(raw.get("numero") or ""))
    except ValidationError as exc:
        problems.append(f"numéro unique : {exc.messages[0]}")
    try:
        validate_email(str(raw.get("email") or ""))
    except ValidationError:
        problems.append(f"email invalide ({raw.get('email')!r})")
    _person(raw.get("demandeur"), "demandeur", problems)
    if raw.get("codemandeur") is not None:
        _person(raw.get("codemandeur"), "co-demandeur", problems)
    dependants = raw.get("personnes_a_charge", [])
    if not isinstance(dependants, list):
        problems.append("personnes_a_charge : liste attendue")
    else:
        for i, person in enumerate(dependants, 1):
            _date(
                (person or {}).get("date_naissance"),
                f"personne à charge {i} : date de naissance",
                problems,
            )
    rfr = raw.get("revenu_fiscal_reference")
    if not isinstance(rfr, int) or isinstance(rfr, bool) or not 0 <= rfr <= 10_000_000:
        problems.append(f"revenu fiscal de référence invalide ({rfr!r}, entier en euros attendu)")
    _amount(raw.get("ressources_mensuelles"), "ressources mensuelles", problems)
    _amount(raw.get("aide_logement", 0), "aide au logement", problems)
    situation = raw.get("situation_professionnelle", "")
    if situation and situation not in PROFESSIONAL_SITUATIONS:
        problems.append(f"situation professionnelle inconnue ({situation!r})")
    siret = raw.get("siret_employeur") or ""
    if siret and not stdnum_siret.is_valid(str(siret)):
        problems.append(f"SIRET de l'employeur invalide ({siret!r})")
    communes = raw.get("communes_souhaitees", [])
    departments = raw.get("departements_souhaites", [])
    if not isinstance(communes, list) or not isinstance(departments, list):
        problems.append("communes_souhaitees et departements_souhaites : listes attendues")
    else:
        if not communes and not departments:
            problems.append("aucune commune ni aucun département souhaité")
        if known_communes is not None:
            unknown = [c for c in communes if str(c) not in known_communes]
            if unknown:
                problems.append(f"communes inconnues : {', '.join(map(str, unknown))}")
        if known_departments is not None:
            unknown = [d for d in departments if str(d) not in known_departments]
            if unknown:
                problems.append(f"départements inconnus : {', '.join(map(str, unknown))}")
    typologies = raw.get("typologies_souhaitees", [])
    if not isinstance(typologies, list) or any(t not in TYPOLOGIES for t in typologies):
        problems.append(f"typologies souhaitées invalides ({typologies!r}, T1 à T6 attendus)")
    filed = _date(raw.get("date_depot"), "date de dépôt", problems)
    renewed = _date(
        raw.get("date_renouvellement"), "date de renouvellement", problems, required=False
    )
    # The renewal date is the day of the last renewal: after the filing, never ahead.
    # (An expired request is a valid record: it is imported and shown as expired.)
    if filed and renewed and renewed < filed:
        problems.append("date de renouvellement antérieure à la date de dépôt")
    if renewed and renewed > (today or timezone.localdate()):
        problems.append(
            f"date de renouvellement dans le futur ({renewed:%d/%m/%Y}) : la date du dernier "
            "renouvellement est attendue"
        )
    documents = raw.get("pieces_deposees", [])
    if not isinstance(documents, list) or any(d not in DOCUMENT_KINDS for d in documents):
        problems.append(f"pièces déposées inconnues ({documents!r})")
    return problems


@dataclass
class RecordView:
    """A valid registry record, read for the portal."""

    raw: dict

    @property
    def number(self):
        return validate_number(self.raw["numero"])

    @property
    def applicant(self):
        return self.raw["demandeur"]

    @property
    def birth_date(self):
        return date.fromisoformat(self.applicant["date_naissance"])

    def _adults(self):
        adults = [self.applicant]
        if self.raw.get("codemandeur"):
            adults.append(self.raw["codemandeur"])
        return adults

    def _persons(self):
        adults = [
            Person(date.fromisoformat(a["date_naissance"]), bool(a.get("handicap")))
            for a in self._adults()
        ]
        dependants = [
            Person(date.fromisoformat(p["date_naissance"]), bool(p.get("handicap")), True)
            for p in self.raw.get("personnes_a_charge", [])
        ]
        return adults, dependants

    def household(self, today):
        adults, dependants = self._persons()
        category, extra = household_category(adults, dependants, today)
        return len(adults) + len(dependants), category, extra

    def category_reason(self, today):
        return category_reason(*self._persons(), today)

    @property
    def co_applicant(self):
        return self.raw.get("codemandeur") or None

    def coapplicant_fields(self):
        """The fields of ``CoApplicant`` taken from the registry's ``codemandeur``."""
        co = self.co_applicant
        if not co:
            return None
        return {
            "link": (co.get("lien") or "")[:50],
            "civility": CIVILITIES.get(co.get("civilite"), ""),
            "birth_name": co["nom_naissance"].strip(),
            "usage_name": (co.get("nom_usage") or co["nom_naissance"]).strip(),
            "first_name": co["prenom"].strip(),
            "birth_date": date.fromisoformat(co["date_naissance"]),
            "disabled": bool(co.get("handicap")),
            "email": (co.get("email") or "").lower(),
            "mobile_phone": co.get("telephone_portable") or "",
            "landline_phone": co.get("telephone_fixe") or "",
            "professional_situation": co.get("situation_professionnelle") or "",
            "siret": co.get("siret_employeur") or "",
            "company_priority": bool(co.get("entreprise_10_salaries_et_plus")),
        }

    def members(self):
        people = [
            {**a, "role": "demandeur" if i == 0 else "co-demandeur"}
            for i, a in enumerate(self._adults())
        ]
        people += [
            {**p, "role": p.get("lien", "personne à charge")}
            for p in self.raw.get("personnes_a_charge", [])
        ]
        return people

    def typologies(self):
        return sorted({TYPOLOGIES[t] for t in self.raw.get("typologies_souhaitees", [])})

    def demande_fields(self, today):
        """The fields of ``Demande`` taken from the registry (identity and situation)."""
        size, category, extra = self.household(today)
        raw = self.raw
        renewal = raw.get("date_renouvellement")
        return {
            "number": self.number,
            "birth_name": self.applicant["nom_naissance"].strip(),
            "usage_name": (
                self.applicant.get("nom_usage") or self.applicant["nom_naissance"]
            ).strip(),
            "first_name": self.applicant["prenom"].strip(),
            "birth_date": self.birth_date,
            "email": raw["email"].lower(),
            "civility": CIVILITIES.get(self.applicant.get("civilite"), ""),
            "mobile_phone": self.applicant.get("telephone_portable") or "",
            "landline_phone": self.applicant.get("telephone_fixe") or "",
            "co_applicant": raw.get("codemandeur"),
            "household_members": self.members(),
            "household_size": size,
            "household_category": category,
            "category_reason": self.category_reason(today),
            "extra_persons": extra,
            "fiscal_income": raw["revenu_fiscal_reference"],
            "monthly_resources": Decimal(str(raw["ressources_mensuelles"])),
            "housing_allowance": Decimal(str(raw.get("aide_logement", 0))),
            "desired_typologies": self.typologies(),
            "reduced_mobility": bool(raw.get("mobilite_reduite")),
            "current_housing": (raw.get("logement_actuel") or "")[:200],
            "legal_priority": bool(raw.get("public_prioritaire")),
            # The request's company priority holds when either applicant qualifies.
            "company_priority": bool(raw.get("entreprise_10_salaries_et_plus"))
            or bool((self.co_applicant or {}).get("entreprise_10_salaries_et_plus")),
            "applicant_company_priority": bool(raw.get("entreprise_10_salaries_et_plus")),
            "company_designation": bool(raw.get("designation_entreprise")),
            "first_filed_on": date.fromisoformat(raw["date_depot"]),
            "renewed_on": date.fromisoformat(renewal) if renewal else None,
            "documents": list(raw.get("pieces_deposees", [])),
            "professional_situation": raw.get("situation_professionnelle") or "",
            "siret": raw.get("siret_employeur") or "",
        }

    def valid_until(self):
        renewal = self.raw.get("date_renouvellement")
        return valid_until(
            date.fromisoformat(self.raw["date_depot"]),
            date.fromisoformat(renewal) if renewal else None,
        )

    def commune_codes(self):
        return [str(c) for c in self.raw.get("communes_souhaitees", [])]

    def department_codes(self):
        return [str(d) for d in self.raw.get("departements_souhaites", [])]
