from django.db import migrations, models


class Migration(migrations.Migration):
    """Offers already published count as matched: only new publications are emailed."""

    dependencies = [("offres", "0010_alert_delivery_pending")]

    operations = [
        migrations.AddField(
            model_name="offer",
            name="alerts_matched_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="alertes traitées le"
            ),
        ),
        migrations.RunSQL(
            "UPDATE offres_offer SET alerts_matched_at = published_at "
            "WHERE published_at IS NOT NULL",
            migrations.RunSQL.noop,
        ),
    ]
