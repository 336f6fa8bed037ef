"""What the portal holds about a person's request, for the RGPD rights."""

from django.db.models import Q

from .models import AccessCode, Demande, RegistryRecord


def export(user):
    demande = Demande.objects.filter(user=user).prefetch_related("sharing_changes").first()
    if demande is None:
        return None
    return {
        "numero_unique": demande.number,
        "numero_als": demande.als_number,
        "nom_de_naissance": demande.birth_name,
        "nom_d_usage": demande.usage_name,
        "prenom": demande.first_name,
        "date_de_naissance": demande.birth_date.isoformat(),
        "email": demande.email,
        "telephone_portable": str(demande.mobile_phone or ""),
        "telephone_fixe": str(demande.landline_phone or ""),
        "membres_du_menage": demande.household_members,
        "co_demandeur": (
            {
                "nom_d_usage": demande.coapplicant.usage_name,
                "prenom": demande.coapplicant.first_name,
                "email": demande.coapplicant.email,
                "telephone_portable": str(demande.coapplicant.mobile_phone or ""),
                "telephone_fixe": str(demande.coapplicant.landline_phone or ""),
                "situation_professionnelle": (
                    demande.coapplicant.get_professional_situation_display()
                ),
                "siret": demande.coapplicant.siret,
                "code_entreprise": demande.coapplicant.company_code,
            }
            if demande.coapplicant_or_none
            else None
        ),
        "revenu_fiscal_de_reference": demande.fiscal_income,
        "ressources_mensuelles": str(demande.monthly_resources),
        "aide_au_logement": str(demande.housing_allowance),
        "situation_professionnelle": demande.get_professional_situation_display(),
        "siret": demande.siret,
        "code_entreprise": demande.company_code,
        "choix_donnees_entreprise": [
            {
                "choix": c.get_choice_display(),
                "par_defaut": c.by_default,
                "date": c.changed_at.isoformat(),
            }
            for c in demande.sharing_changes.all()
        ],
        "pieces_confirmees_le": (
            demande.documents_confirmed_at.isoformat() if demande.documents_confirmed_at else None
        ),
        "importee_le": demande.imported_at.isoformat(),
    }


def erase(user):
    """The imported request is a copy of the national one: deleted, not kept. So is the
    registry's copy held here (``RegistryRecord``) of every request the person imported
    (proven theirs by the access code) and of the one filed with their address; the
    registry itself keeps the request, which a later import_registre brings back."""
    from .services import delete_demande

    numbers = set(Demande.history.filter(user=user).values_list("number", flat=True))
    demande = Demande.objects.filter(user=user).first()
    if demande is not None:
        numbers.add(demande.number)
        delete_demande(demande=demande, actor=user)
    AccessCode.objects.filter(user=user).delete()
    RegistryRecord.objects.filter(Q(number__in=numbers) | Q(email__iexact=user.email)).delete()
