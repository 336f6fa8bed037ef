"""What every endpoint of the API shares: the key's landlord scopes the data, every call
is logged, and a write sent with an ``Idempotency-Key`` acts once."""

import hashlib
import json
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .models import ApiCall, IdempotentRequest

IDEMPOTENCY_HEADER = "Idempotency-Key"
ABANDONED = timedelta(minutes=5)
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class _Replay(Exception):
    def __init__(self, response):
        self.response = response


class LandlordAPIMixin:
    # Any path segment reaches the view, which answers a JSON 404 for a non-number
    # (rather than the router's HTML page).
    lookup_value_regex = "[^/]+"

    @property
    def landlord(self):
        return self.request.auth.landlord

    def get_object(self):
        if not str(self.kwargs.get(self.lookup_field, "")).isdigit():
            raise exceptions.NotFound()
        return super().get_object()

    # -- idempotency -----------------------------------------------------------------
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttles
        self._idempotent = None
        token = request.headers.get(IDEMPOTENCY_HEADER)
        if token is None or request.method not in WRITES:
            return
        if not 1 <= len(token) <= 255:
            raise exceptions.ValidationError({IDEMPOTENCY_HEADER: ["De 1 à 255 caractères."]})
        digest = hashlib.sha256()
        digest.update(f"{request.method} {request.path}\n".encode())
        if request.content_type.startswith("multipart/"):
            # Uploads may exceed what Django reads into memory: their size stands for them.
            digest.update(request.headers.get("Content-Length", "").encode())
        else:
            digest.update(request._request.body)
        fingerprint = digest.hexdigest()
        try:
            with transaction.atomic():
                self._idempotent = IdempotentRequest.objects.create(
                    key=request.auth, idempotency_key=token, fingerprint=fingerprint
                )
        except IntegrityError:
            earlier = IdempotentRequest.objects.get(key=request.auth, idempotency_key=token)
            if earlier.fingerprint != fingerprint:
                raise _Replay(
                    Response(
                        {
                            "detail": "Cette clé d'idempotence a déjà servi pour une autre "
                            "requête : utilisez une nouvelle clé."
                        },
                        status=status.HTTP_422_UNPROCESSABLE_ENTITY,
                    )
                ) from None
            if earlier.status is None and earlier.created_at < timezone.now() - ABANDONED:
                # The first attempt died without answering (a killed process): act now.
                earlier.delete()
                return self.initial(request, *args, **kwargs)
            if earlier.status is None:
                raise _Replay(
                    Response(
                        {"detail": "La même requête est en cours : réessayez dans un instant."},
                        status=status.HTTP_409_CONFLICT,
                    )
                ) from None
            response = Response(earlier.body, status=earlier.status)
            response["Idempotent-Replayed"] = "true"
            raise _Replay(response) from None

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            return exc.response
        try:
            return super().handle_exception(exc)
        except Exception:
            # A failure of ours (500): forget the key so that the retry may act.
            if getattr(self, "_idempotent", None) is not None:
                self._idempotent.delete()
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_idempotent", None)
        if record is not None:
            if response.status_code >= 500:
                record.delete()  # a failure of ours: the retry may act
            else:
                record.status = response.status_code
                record.body = json.loads(json.dumps(response.data, cls=JSONEncoder))
                record.save(update_fields=["status", "body"])
        key = getattr(
            request._request if hasattr(request, "_request") else request, "api_key", None
        )
        if key is not None:
            match = request.resolver_match
            ApiCall.objects.create(
                key=key,
                landlord_id=key.landlord_id,
                method=request.method[:7],
                path=request.path[:255],
                endpoint=(match.view_name if match else "")[:100],
                status=response.status_code,
            )
        return response
