import hmac

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health
from .faq import FAQ
from .forms import ContactForm
from .services import submit_contact_message


def home(request):
    return render(request, "core/home.html")


def help_page(request):
    return render(request, "core/help.html", {"faq": FAQ})


def legal_notice(request):
    return render(request, "core/legal.html")


def privacy_notice(request):
    return render(request, "core/privacy.html")


def contact(request):
    if request.method == "POST":
        # Limited like the sign-up (ACCOUNT_RATE_LIMITS["contact"]): each message
        # writes a row and emails the support team.
        limited = ratelimit.consume_or_429(request, action="contact")
        if limited:
            return limited
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        submit_contact_message(**form.cleaned_data)
        messages.success(
            request,
            "Votre message a bien été envoyé. "
            "Nous vous répondrons par email dans les meilleurs délais.",
        )
        return redirect("core:contact")
    return render(request, "core/contact.html", {"form": form})


@require_GET
def ping(request):
    """A trivial view: the benchmark's measure of the framework's ceiling."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics, for the scraper (bearer METRICS_TOKEN) or signed-in staff only;
    anyone else gets a 404, as if the page did not exist."""
    from prometheus_client import CONTENT_TYPE_LATEST

    from .metrics import render

    token = settings.METRICS_TOKEN
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    allowed = (token and offered and hmac.compare_digest(offered, token)) or (
        request.user.is_authenticated and request.user.is_staff
    )
    if not allowed:
        raise Http404
    return HttpResponse(render(), content_type=CONTENT_TYPE_LATEST)


@never_cache
@require_GET
def healthz(request):
    """200 "ok", 200 "degraded" (Redis down: still serving) or 503 "down" (no database)."""
    status, checks = health.run_checks()
    return JsonResponse(
        {"status": status, "checks": checks}, status=503 if status == "down" else 200
    )
