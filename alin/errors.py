"""The portal's error pages, in French and in the portal's shell (the admin keeps its own).

400 and 404 use Django's views with ``templates/400.html`` and ``404.html``. The 500 page
and the CSRF failure page are rendered here with the request, so that the shell (links,
support phone) is complete; if rendering the shell fails too, a plain French page is sent.
"""

import logging

from django.http import HttpResponseForbidden, HttpResponseServerError
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

PLAIN_500 = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreur — AL\'in'
    "</title></head><body><h1>Une erreur est survenue</h1><p>Nous sommes désolés : la "
    "page n'a pas pu s'afficher. Réessayez dans quelques instants. Besoin d'aide ? "
    'Appelez le 0 970 800 800.</p><p><a href="/">Revenir à l\'accueil</a></p></body></html>'
)


def server_error(request):
    try:
        return HttpResponseServerError(render_to_string("500.html", request=request))
    except Exception:  # the shell itself failed (database down…): the plain page
        logger.exception("La page d'erreur 500 n'a pas pu être rendue")
        return HttpResponseServerError(PLAIN_500)


def csrf_failure(request, reason=""):
    """The form was sent without a valid security token (expired page, cookies off)."""
    return HttpResponseForbidden(render_to_string("403_csrf.html", request=request))
