"""Landlords' API keys, the log of every call, and the answers kept for idempotent
retries."""

from django.conf import settings
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey


class LandlordApiKey(AbstractAPIKey):
    """A key of one landlord's software: shown once, stored hashed (the prefix finds
    it), revoked by the landlord's administrator."""

    landlord = models.ForeignKey(
        "offres.Landlord",
        on_delete=models.CASCADE,
        related_name="api_keys",
        verbose_name="bailleur",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créée par",
    )
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "clé d'API"
        verbose_name_plural = "clés d'API"
        ordering = ["-created"]


class ApiCall(models.Model):
    """One call of the API with a valid key: what the landlord sees in its log."""

    key = models.ForeignKey(
        LandlordApiKey, on_delete=models.CASCADE, related_name="calls", verbose_name="clé"
    )
    landlord = models.ForeignKey(
        "offres.Landlord", on_delete=models.CASCADE, related_name="+", verbose_name="bailleur"
    )
    method = models.CharField("méthode", max_length=7)
    path = models.CharField("adresse", max_length=255)
    endpoint = models.CharField("point d'accès", max_length=100)
    status = models.PositiveSmallIntegerField("statut")
    at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "appel de l'API"
        verbose_name_plural = "appels de l'API"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["landlord", "-at"], name="apicall_landlord_recent")]

    def __str__(self):
        return f"{self.method} {self.path} → {self.status}"


class IdempotentRequest(models.Model):
    """The answer to a write sent with an ``Idempotency-Key``: a retry gets it again
    instead of acting twice."""

    key = models.ForeignKey(LandlordApiKey, on_delete=models.CASCADE, related_name="+")
    idempotency_key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)  # None while the first is running
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "idempotency_key"], name="idempotency_once")
        ]

    def __str__(self):
        return self.idempotency_key
