from django.db import models


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
    email = models.EmailField("email")
    subject = models.CharField("sujet", max_length=20, choices=Subject.choices)
    message = models.TextField("message", max_length=5000)
    created_at = models.DateTimeField("reçu le", auto_now_add=True)

    class Meta:
        verbose_name = "message de contact"
        verbose_name_plural = "messages de contact"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_subject_display()} — {self.email}"


class OutgoingEmail(models.Model):
    """An email written in the same transaction as the change that causes it (outbox).

    A Celery task delivers it; a periodic task re-sends whatever is still pending,
    so a broker outage delays emails but never loses them.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        SENT = "sent", "Envoyé"
        FAILED = "failed", "Échec"

    to = models.EmailField("destinataire")
    subject = models.CharField("objet", max_length=255)
    body_text = models.TextField("texte")
    body_html = models.TextField("HTML", blank=True)
    template = models.CharField("gabarit", max_length=100)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    class Meta:
        verbose_name = "email sortant"
        verbose_name_plural = "emails sortants"
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="outgoing_email_pending",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.subject} → {self.to}"
