from django.conf import settings
from django.db import models
from django.utils import timezone


class ContactMessage(models.Model):
    """A message sent through the contact form; support answers by email."""

    class Subject(models.TextChoices):
        ACCOUNT = "compte", "Mon compte"
        REQUEST = "demande", "Ma demande de logement social"
        OFFER = "offre", "Une offre de logement"
        CANDIDATURE = "candidature", "Ma candidature"
        DATA = "donnees", "Mes données personnelles"
        OTHER = "autre", "Autre question"

    name = models.CharField("nom et prénom", max_length=150)
    email = models.EmailField("adresse email")
    subject = models.CharField("sujet", max_length=20, choices=Subject.choices)
    message = models.TextField("message", max_length=5000)
    created_at = models.DateTimeField("reçu le", auto_now_add=True)

    class Meta:
        verbose_name = "message de contact"
        verbose_name_plural = "messages de contact"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_subject_display()} — {self.email}"


class OutboxStatus(models.TextChoices):
    """Where an outbox email stands (module level: the constraints below name it)."""

    PENDING = "pending", "En attente"
    SENDING = "sending", "En cours d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Échec"
    # The worker died after handing the message to the SMTP server but before its
    # answer: it was most probably delivered, so it is not sent again by itself.
    UNCONFIRMED = "unconfirmed", "Remise non confirmée"


class OutgoingEmail(models.Model):
    """An email written in the same transaction as the change that causes it (outbox).

    Delivery (core/outbox.py) claims the row with a lease before talking to the SMTP
    server and records every outcome in its own transaction, so a worker killed at any
    point neither loses nor duplicates the email. Bodies are sealed (core/sealing.py):
    they hold sign-up links, reset links and access codes that staff must not read.
    """

    Status = OutboxStatus

    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=255)
    body_text = models.TextField("texte (chiffré)")
    body_html = models.TextField("HTML (chiffré)", blank=True)
    template = models.CharField("gabarit", max_length=100)
    status = models.CharField("état", max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    next_attempt_at = models.DateTimeField("prochain essai", default=timezone.now)
    dispatched_at = models.DateTimeField("confié à la file le", null=True, blank=True)
    lease_token = models.UUIDField("jeton d'envoi", null=True, blank=True)
    leased_until = models.DateTimeField("envoi réservé jusqu'au", null=True, blank=True)
    handed_over_at = models.DateTimeField("remis au serveur SMTP le", null=True, blank=True)

    class Meta:
        verbose_name = "email sortant"
        verbose_name_plural = "emails sortants"
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outgoing_email_due",
                condition=models.Q(status=OutboxStatus.PENDING),
            ),
            models.Index(
                fields=["leased_until"],
                name="outgoing_email_leased",
                condition=models.Q(status=OutboxStatus.SENDING),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="outgoing_email_sending_has_lease",
                condition=~models.Q(status=OutboxStatus.SENDING)
                | models.Q(lease_token__isnull=False, leased_until__isnull=False),
            ),
            models.CheckConstraint(
                name="outgoing_email_sent_has_date",
                condition=~models.Q(status=OutboxStatus.SENT) | models.Q(sent_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"

    def read_text(self):
        """The plain-text body, decrypted: for the sending task and tests, never a page."""
        from .sealing import unseal

        return unseal(self.body_text)

    def read_html(self):
        from .sealing import unseal

        return unseal(self.body_html)

    @property
    def message_id(self):
        """The Message-ID header, fixed for this row: a receiver can drop a second copy."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "alin.example"
        return f"<outbox.{self.pk}.{self.created_at:%Y%m%d%H%M%S%f}@{domain}>"
