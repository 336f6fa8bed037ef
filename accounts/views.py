import json

from allauth.account.decorators import reauthentication_required
from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from . import services
from .forms import DeleteAccountForm, InitialPasswordForm, ProfileForm, ResendConfirmationForm
from .links import account_links
from .ratelimits import ACTIONS_BY_URL_NAME, longest_wait, retry_after, wait_in_words
from .roles import space_of


@login_required
def profile(request):
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(form=form)
        messages.success(request, "Vos informations ont bien été mises à jour.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "links": account_links()})


def initial_password(request, token):
    """ "Mise à jour du mot de passe", reached from the emailed link once validated."""
    try:
        user = services.user_for_initial_password(token)
    except services.InvalidToken:
        return render(request, "accounts/link_invalid.html", status=400)
    form = InitialPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.set_initial_password(user=user, form=form)
        return redirect("accounts:created")
    return render(request, "accounts/initial_password.html", {"form": form})


def account_created(request):
    return render(request, "accounts/created.html")


def resend_confirmation(request):
    """A new link, for an expired one. Says the same whether or not the address has
    an account waiting for validation.

    An account whose email is validated but whose password was never chosen (the
    person left after "Valider votre email") gets the link to choose it instead.
    """
    form = ResendConfirmationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        limited = ratelimit.consume_or_429(request, action="resend_link")
        if limited:
            return limited
        # allauth also limits the sending per address (a cooldown); the answer stays
        # the same either way so that it reveals nothing about the address.
        services.send_new_link(request=request, email=email)
        messages.success(
            request,
            "Si un compte en attente de validation correspond à cette adresse, "
            "un nouveau lien de confirmation vient de lui être envoyé.",
        )
        return redirect("account_login")
    return render(request, "accounts/resend_confirmation.html", {"form": form})


@login_required
def export_data(request):
    data = services.export_personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-alin.json"'
    return response


@login_required
@reauthentication_required(app="allauth.account", allow_get=True)
def delete_account(request):
    """ "Supprimer mon compte": confirmed with the password when the last sign-in is
    older than a few minutes (allauth reauthentication; the POST resumes after it)."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user)
        logout(request)
        messages.success(request, "Votre compte a été supprimé.")
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})


def too_many_requests(request, exception=None):
    """The page of a rate-limited action (allauth's ``handler429``), with the wait."""
    match = getattr(request, "resolver_match", None)
    action, key_field = ACTIONS_BY_URL_NAME.get(match.view_name if match else "", ("", None))
    wait = 0
    if action:
        key = (request.POST.get(key_field) or "").strip().lower() if key_field else None
        wait = retry_after(request, action=action, key=key) or longest_wait(action)
    wait = wait or 60
    response = render(
        request, "accounts/too_many_requests.html", {"wait": wait_in_words(wait)}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def forbidden(request, exception=None):
    """The French 403 page (``handler403``): what was refused and where the person's
    own space is."""
    label, url = space_of(request.user) if request.user.is_authenticated else ("", "")
    reason = str(exception) if exception is not None and str(exception) else ""
    return render(
        request,
        "403.html",
        {"reason": reason, "space_label": label, "space_url": url},
        status=403,
    )
