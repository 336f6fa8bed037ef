"""What each role may do beyond its own space.

Advisors work in the Django admin. Rather than making every advisor a superuser, they
belong to one group holding the permissions of the portal's own models; the group is
kept in step with the models after every ``migrate`` (post_migrate), so a model added
by any app later is covered without a migration here.
"""

from functools import wraps

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse

ADVISOR_GROUP = "Conseillers Action Logement"

# Django's own bookkeeping stays with superusers (technical administrators).
_EXCLUDED_APPS = {"auth", "contenttypes", "sessions", "admin", "sites"}
# Second factors belong to their owner alone (a TOTP added to a colleague's account is
# a way into it): superusers only.
_EXCLUDED_APPS |= {"mfa"}
# Deleting a person goes through the anonymising deletion, never a row delete.
_EXCLUDED_CODENAMES = {"delete_user"}


def advisor_permissions():
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.exclude(content_type__app_label__in=_EXCLUDED_APPS).exclude(
        codename__in=_EXCLUDED_CODENAMES
    )


def sync_advisor_group(**kwargs):
    """Create the advisors' group and give it the permissions of the portal's models."""
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name=ADVISOR_GROUP)
    group.permissions.set(advisor_permissions())
    return group


def apply_role(user):
    """Align staff status and the advisors' group with the user's role (saved user)."""
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ADVISOR_GROUP).first() or sync_advisor_group()
    if user.role == user.Role.ADVISOR:
        user.groups.add(group)
    else:
        user.groups.remove(group)


# Where each role works (label, URL name): the 403 page points there.
SPACES = {
    "demandeur": ("Ma situation", "dashboard"),
    "bailleur": ("l'espace bailleur", "bailleur:offers"),
    "entreprise": ("l'espace entreprise", "demandes:company_home"),
    "conseiller": ("l'espace conseiller", "admin:index"),
}


def space_of(user):
    """The label and URL of the space of the user's role (home page if unknown)."""
    label, name = SPACES.get(getattr(user, "role", ""), ("l'accueil", "core:home"))
    try:
        return label, reverse(name)
    except NoReverseMatch:
        return "l'accueil", reverse("core:home")


class NotYourRole(PermissionDenied):
    """A signed-in person acting outside their role (answered by the French 403 page)."""


def applicant_required(view):
    """Only applicants (role ``demandeur``) import a request, fill the mini-form,
    apply and create alerts; anyone else gets the 403 page naming their own space."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_applicant:
            raise NotYourRole("Cette action est réservée aux demandeurs de logement.")
        return view(request, *args, **kwargs)

    return wrapper
