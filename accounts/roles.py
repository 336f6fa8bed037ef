"""What each role may do beyond its own space.

Advisors work in the Django admin. Rather than making every advisor a superuser, they
belong to one group holding the permissions of the portal's own models; the group is
kept in step with the models after every ``migrate`` (post_migrate), so a model added
by any app later is covered without a migration here.
"""

from django.apps import apps

ADVISOR_GROUP = "Conseillers Action Logement"

# Django's own bookkeeping stays with superusers (technical administrators).
_EXCLUDED_APPS = {"auth", "contenttypes", "sessions", "admin", "sites"}
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
