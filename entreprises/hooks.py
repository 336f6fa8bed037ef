"""How entreprises plugs into the apps to its left: the Code Entreprise check of the
mini-form, the RGPD export, and keeping designations in step with request changes."""

from django.db.models.signals import post_save

from demandes.models import Demande

from .models import Company


def check_company_code(code, sirets):
    """The Code Entreprise must be a known company's; with a SIRET, that company must
    be the one of the SIRET (of the applicant or of the co-applicant)."""
    company = Company.objects.filter(code=code).first()
    if company is None:
        return (
            "Ce Code Entreprise ne correspond à aucune entreprise. Vérifiez-le auprès de "
            "votre service des ressources humaines."
        )
    if sirets and not company.establishments.filter(siret__in=sirets).exists():
        return (
            f"Ce Code Entreprise est celui de l'entreprise {company.name}, qui ne correspond "
            "pas au SIRET indiqué."
        )
    return None


def export(user):
    from .selectors import accesses_of

    return [
        {
            "le": access.at.isoformat(),
            "qui": access.reader_name,
            "entreprise": access.company_name,
            "niveau": access.get_level_display(),
            "type": access.get_kind_display(),
            "detail": access.detail,
        }
        for access in accesses_of(user)
    ]


def erase(user):
    """Account deletion: the applicant's log of company reads goes with the account
    (the user row is kept anonymised, so nothing would cascade)."""
    from .models import Access

    Access.objects.filter(applicant=user).delete()


_WATCHED = {"data_sharing", "company_designation"}


def on_demande_saved(sender, instance, created, update_fields=None, **kwargs):
    """A change of choice (or a registry update that forgot the designation) changes
    whether the designation counts for the active candidature."""
    if update_fields is not None and not (_WATCHED & set(update_fields)):
        return
    from .services import apply_designation

    apply_designation(instance)


def connect_signals():
    post_save.connect(on_demande_saved, sender=Demande, dispatch_uid="entreprises-designation")
