"""What the portal holds about a person's request, for the RGPD rights."""

from .models import AccessCode, Demande


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
    """The imported request is a copy of the national one: deleted, not kept."""
    from .services import delete_demande

    demande = Demande.objects.filter(user=user).first()
    if demande is not None:
        delete_demande(demande=demande, actor=user)
    AccessCode.objects.filter(user=user).delete()
