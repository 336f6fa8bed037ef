import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """A matched offer may wait for its alert's next hourly email (sent_at empty)."""

    dependencies = [("offres", "0009_alert_criteria")]

    operations = [
        migrations.AddField(
            model_name="alertdelivery",
            name="matched_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="trouvée le"
            ),
        ),
        migrations.AlterField(
            model_name="alertdelivery",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="envoyée le"),
        ),
        migrations.AddIndex(
            model_name="alertdelivery",
            index=models.Index(
                condition=models.Q(("sent_at", None)),
                fields=["alert"],
                name="alert_delivery_pending",
            ),
        ),
    ]
