"""One membership pattern for every organisation whose staff sign in (landlords,
companies…).

An organisation app declares a concrete subclass of ``Membership``::

    class LandlordMembership(Membership):
        organisation_field = "landlord"
        member_role = User.Role.LANDLORD
        user = models.OneToOneField(..., related_name="landlord_membership")
        landlord = models.ForeignKey(Landlord, ..., related_name="members")

and gets, without writing them again: ``invite_member`` / ``remove_member`` /
``resend_invitation`` / ``set_admin`` (services, plain keyword data), the invitation
email (through the outbox, with the link to choose a password), and the "Mes
collègues" page (``accounts.member_views``). A person belongs to one organisation at
most (the user is a one-to-one field) and has the organisation's role.
"""

from functools import cache

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, queue_email

from .adapter import initial_password_token
from .models import User


class MembershipError(Exception):
    """A refused change of the colleagues list, explained in French."""


class Membership(models.Model):
    """A user working for an organisation; administrators manage their colleagues.

    Subclasses set ``organisation_field`` (the name of their foreign key to the
    organisation) and ``member_role`` (the role every member has), and re-declare
    ``user`` with the related name their app uses.
    """

    organisation_field = None
    member_role = None

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="%(class)s"
    )
    is_admin = models.BooleanField(
        "administrateur",
        default=False,
        help_text="Un administrateur invite et retire ses collègues.",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="invité par",
    )
    created_at = models.DateTimeField("membre depuis le", default=timezone.now)

    class Meta:
        abstract = True

    @property
    def organisation(self):
        return getattr(self, self.organisation_field)

    @property
    def organisation_id(self):
        return getattr(self, f"{self.organisation_field}_id")

    @property
    def is_pending(self):
        """Invited, but the person never signed in yet."""
        return self.user.last_login is None

    @classmethod
    def of_organisation(cls, organisation):
        return cls.objects.filter(**{cls.organisation_field: organisation})


@cache
def _models_by_organisation():
    found = {}
    for model in apps.get_models():
        if issubclass(model, Membership):
            if not model.organisation_field or not model.member_role:
                raise TypeError(f"{model.__name__} must set organisation_field and member_role.")
            target = model._meta.get_field(model.organisation_field).related_model
            found[target] = model
    return found


def membership_model_for(organisation):
    """The membership model of an organisation's class (fails loudly when none)."""
    try:
        return _models_by_organisation()[type(organisation)]
    except KeyError:
        raise LookupError(
            f"Aucun modèle d'appartenance n'est déclaré pour {type(organisation).__name__}."
        ) from None


def membership_of(user):
    """The user's membership of any organisation, or None."""
    if not user.is_authenticated:
        return None
    for model in _models_by_organisation().values():
        membership = model.objects.filter(user=user).first()
        if membership is not None:
            return membership
    return None


def _check_admin(organisation, by):
    """Only an administrator of the organisation (or an advisor) manages its members."""
    if by is None or by.is_staff:
        return
    model = membership_model_for(organisation)
    if not model.of_organisation(organisation).filter(user=by, is_admin=True).exists():
        raise MembershipError("Seul un administrateur peut gérer les collègues.")


def _send_invitation(membership, *, by):
    user = membership.user
    link = None
    if not user.has_usable_password():
        link = absolute_url(
            reverse("accounts:initial_password", args=[initial_password_token(user)])
        )
    queue_email(
        user.email,
        "accounts/email/invitation",
        {
            "user": user,
            "organisation": membership.organisation,
            "by": by,
            "password_url": link,
            "login_url": absolute_url(reverse("account_login")),
        },
    )


@transaction.atomic
def invite_member(*, organisation, email, by, first_name="", last_name="", is_admin=False):
    """Add a colleague to the organisation and email them the invitation.

    An unknown address gets an account with the organisation's role, its email taken
    as verified (the link proves it), and the link to choose its password. A known
    address is accepted only when it is an account of the same role belonging to no
    organisation (a colleague removed earlier): it is reactivated.
    """
    model = membership_model_for(organisation)
    _check_admin(organisation, by)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise MembershipError("Saisissez une adresse email valide.") from None
    user = User.objects.select_for_update().filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            role=model.member_role,
            first_name=first_name.strip()[:150],
            last_name=last_name.strip()[:150],
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    else:
        current = membership_of(user)
        if current is not None and current.organisation_id == organisation.pk:
            raise MembershipError(f"{email} fait déjà partie de vos collègues.")
        if current is not None or user.role != model.member_role or user.is_staff:
            raise MembershipError(
                "Cette adresse est déjà utilisée sur AL'in pour un autre espace : "
                "invitez une autre adresse ou contactez votre conseiller Action Logement."
            )
        user.is_active = True
        user.save(update_fields=["is_active"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    membership = model.objects.create(
        user=user,
        is_admin=is_admin,
        invited_by=by,
        **{model.organisation_field: organisation},
    )
    _send_invitation(membership, by=by)
    return membership


@transaction.atomic
def resend_invitation(*, membership, by):
    """Send the invitation again (its password link is valid 12 hours)."""
    _check_admin(membership.organisation, by)
    _send_invitation(membership, by=by)
    return membership


def _other_admins(membership):
    return (
        type(membership)
        .of_organisation(membership.organisation_id)
        .filter(is_admin=True, user__is_active=True)
        .exclude(pk=membership.pk)
    )


@transaction.atomic
def remove_member(*, membership, by):
    """Remove a colleague: the account leaves the organisation and can no longer sign
    in (its history stays). The last administrator cannot be removed."""
    _check_admin(membership.organisation, by)
    membership = type(membership).objects.select_for_update().get(pk=membership.pk)
    if membership.is_admin and not _other_admins(membership).exists():
        raise MembershipError(
            "Vous êtes le dernier administrateur : nommez d'abord un autre administrateur."
        )
    user = membership.user
    membership.delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def set_admin(*, membership, is_admin, by):
    """Make a colleague an administrator, or no longer one (never the last one)."""
    _check_admin(membership.organisation, by)
    membership = type(membership).objects.select_for_update().get(pk=membership.pk)
    if not is_admin and membership.is_admin and not _other_admins(membership).exists():
        raise MembershipError("Il faut au moins un administrateur.")
    membership.is_admin = is_admin
    membership.save(update_fields=["is_admin"])
    return membership
