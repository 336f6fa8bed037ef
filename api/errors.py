"""Every error of the API is JSON: ``{"detail": "<French sentence>", "errors": {field:
[messages]}}`` (``errors`` only for invalid data)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from candidatures.services import CandidatureError
from offres.services import OfferError, OfferInvalid

MESSAGES = {
    exceptions.NotAuthenticated: "Authentification requise : en-tête « Authorization: Api-Key "
    "<votre clé> ».",
    exceptions.NotFound: "Introuvable.",
    exceptions.MethodNotAllowed: "Méthode non autorisée pour cette adresse.",
    exceptions.NotAcceptable: "Seul le format JSON est proposé.",
    exceptions.PermissionDenied: "Action non autorisée.",
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Action impossible dans l'état actuel."


class InvalidData(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Données invalides."

    def __init__(self, errors):
        super().__init__()
        self.errors = errors


def _flatten(detail):
    if isinstance(detail, dict):
        return {
            key: [str(m) for m in (value if isinstance(value, list) else [value])]
            if not isinstance(value, dict)
            else [f"{k} : {m}" for k, ms in _flatten(value).items() for m in ms]
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return {"non_field_errors": [str(m) for m in detail]}
    return {"non_field_errors": [str(detail)]}


def handler(exc, context):
    if isinstance(exc, OfferInvalid):
        exc = InvalidData(exc.errors)
    elif isinstance(exc, OfferError | CandidatureError):
        exc = Conflict(str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        exc = InvalidData(_flatten(exc.detail))
    response = exception_handler(exc, context)
    if response is None:
        return None
    body = {"detail": str(exc.detail) if not isinstance(exc.detail, dict | list) else ""}
    for kind, message in MESSAGES.items():
        if type(exc) is kind:
            body["detail"] = message
    if isinstance(exc, exceptions.Throttled):
        body["detail"] = (
            f"Trop de requêtes avec cette clé : réessayez dans {exc.wait or 1:.0f} seconde(s)."
        )
    if isinstance(exc, exceptions.UnsupportedMediaType):
        body["detail"] = f"Type de contenu non pris en charge ({exc.detail})."
    if isinstance(exc, exceptions.ParseError):
        body["detail"] = "Corps de requête illisible (JSON invalide)."
    if isinstance(exc, InvalidData):
        body["errors"] = exc.errors
    response.data = body
    return response
