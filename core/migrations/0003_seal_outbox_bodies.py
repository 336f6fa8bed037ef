"""Encrypt the bodies already in the outbox (they may hold links and access codes)."""

from django.db import migrations


def seal_bodies(apps, schema_editor):
    from core.sealing import PREFIX, seal

    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    for email in OutgoingEmail.objects.exclude(body_text__startswith=PREFIX).iterator():
        email.body_text = seal(email.body_text)
        email.body_html = seal(email.body_html)
        email.save(update_fields=["body_text", "body_html"])


def unseal_bodies(apps, schema_editor):
    from core.sealing import PREFIX, unseal

    OutgoingEmail = apps.get_model("core", "OutgoingEmail")
    for email in OutgoingEmail.objects.filter(body_text__startswith=PREFIX).iterator():
        email.body_text = unseal(email.body_text)
        email.body_html = unseal(email.body_html)
        email.save(update_fields=["body_text", "body_html"])


class Migration(migrations.Migration):
    dependencies = [("core", "0002_outbox_lease")]

    operations = [migrations.RunPython(seal_bodies, unseal_bodies)]
