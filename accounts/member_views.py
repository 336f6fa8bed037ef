"""The "Mes collègues" pages of an organisation space, the same for every
organisation (landlords, companies…).

An app mounts them under its space with its own access rule, a decorator that puts
the signed-in person's membership on ``request.membership`` (or answers 404)::

    urlpatterns += member_urls(access=landlord_required)

URL names (in the app's namespace): ``members`` (list and invitation form),
``member_remove``, ``member_resend``, ``member_admin`` (POST only).
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from . import memberships


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Adresse email professionnelle",
        error_messages={
            "required": "Indiquez l'adresse email de votre collègue.",
            "invalid": "Saisissez une adresse email valide.",
        },
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    is_admin = forms.BooleanField(
        label="Administrateur (peut inviter et retirer des collègues)", required=False
    )


def _redirect(request):
    return redirect(f"{request.resolver_match.namespace}:members")


def _colleague(request, pk):
    membership = request.membership
    return get_object_or_404(
        type(membership).of_organisation(membership.organisation_id).select_related("user"),
        pk=pk,
    )


def members(request):
    membership = request.membership
    form = None
    if membership.is_admin:
        form = InviteForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                invited = memberships.invite_member(
                    organisation=membership.organisation, by=request.user, **form.cleaned_data
                )
            except memberships.MembershipError as exc:
                form.add_error("email", str(exc))
            else:
                messages.success(
                    request,
                    f"Une invitation a été envoyée à {invited.user.email} : le lien permet "
                    "de choisir un mot de passe.",
                )
                return _redirect(request)
    elif request.method == "POST":
        messages.error(request, "Seul un administrateur peut inviter des collègues.")
        return _redirect(request)
    colleagues = (
        type(membership)
        .of_organisation(membership.organisation_id)
        .select_related("user", "invited_by")
        .order_by("-is_admin", "user__last_name", "user__email")
    )
    return render(
        request,
        "accounts/members/list.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "colleagues": colleagues,
            "form": form,
            "namespace": request.resolver_match.namespace,
        },
    )


def _act(request, pk, action, success):
    colleague = _colleague(request, pk)
    try:
        action(colleague)
    except memberships.MembershipError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success.format(email=colleague.user.email))
    return _redirect(request)


@require_POST
def member_remove(request, pk):
    return _act(
        request,
        pk,
        lambda m: memberships.remove_member(membership=m, by=request.user),
        "{email} ne fait plus partie de vos collègues.",
    )


@require_POST
def member_resend(request, pk):
    return _act(
        request,
        pk,
        lambda m: memberships.resend_invitation(membership=m, by=request.user),
        "L'invitation a été renvoyée à {email}.",
    )


@require_POST
def member_admin(request, pk):
    is_admin = request.POST.get("is_admin") == "1"
    return _act(
        request,
        pk,
        lambda m: memberships.set_admin(membership=m, is_admin=is_admin, by=request.user),
        "{email} est administrateur." if is_admin else "{email} n'est plus administrateur.",
    )


def member_urls(*, access, prefix="collegues/"):
    """The colleagues pages, each behind the space's access rule."""
    return [
        path(prefix, access(members), name="members"),
        path(f"{prefix}<int:pk>/retirer/", access(member_remove), name="member_remove"),
        path(f"{prefix}<int:pk>/renvoyer/", access(member_resend), name="member_resend"),
        path(f"{prefix}<int:pk>/administrateur/", access(member_admin), name="member_admin"),
    ]
