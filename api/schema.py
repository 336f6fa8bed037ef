"""The OpenAPI schema declares every answer an operation may give, errors included
(Schemathesis checks each response against it)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Le problème, en français.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Pour des données invalides : les messages de chaque champ.",
    )


ERRORS = {
    "400": "Données invalides (un message par champ dans « errors »).",
    "401": "Clé d'API absente, inconnue ou révoquée.",
    "404": "Introuvable (ou appartenant à un autre bailleur).",
    "405": "Méthode non autorisée.",
    "406": "Format de réponse non proposé.",
    "415": "Type de contenu non pris en charge.",
    "429": "Trop de requêtes avec cette clé (en-tête Retry-After).",
}
WRITE_ERRORS = {
    "409": "Action impossible dans l'état actuel (ou même requête en cours).",
    "422": "Clé d'idempotence déjà utilisée pour une autre requête.",
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes.update(WRITE_ERRORS)
        for code, description in codes.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code)
                responses[code]["description"] = description
        return responses

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="Une valeur unique par écriture (1 à 255 caractères) : "
                    "une nouvelle tentative avec la même clé n'agit pas deux fois.",
                )
            )
        return parameters


def integer_ids(result, generator, request, public):
    """Path ids are numbers (the views accept any segment to answer a JSON 404)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "id":
                    parameter["schema"] = {"type": "integer"}
    return result
