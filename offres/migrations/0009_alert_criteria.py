from django.db import migrations, models


class Migration(migrations.Migration):
    """The saved searches' criteria as columns, and how often they are emailed. Alerts
    that exist keep their daily digest (their criteria were never stored): only new
    alerts are immediate by default."""

    dependencies = [
        ("offres", "0008_offer_updated_at_index"),
        ("territoires", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchalert",
            name="frequency",
            field=models.CharField(
                choices=[
                    ("immediate", "Dès la publication (au plus un email par heure)"),
                    ("quotidienne", "Une fois par jour"),
                ],
                default="quotidienne",
                max_length=12,
                verbose_name="fréquence",
            ),
        ),
        migrations.AlterField(
            model_name="searchalert",
            name="frequency",
            field=models.CharField(
                choices=[
                    ("immediate", "Dès la publication (au plus un email par heure)"),
                    ("quotidienne", "Une fois par jour"),
                ],
                default="immediate",
                max_length=12,
                verbose_name="fréquence",
            ),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="last_immediate_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="dernier envoi immédiat"
            ),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="typology_mask",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="typologies (bits)"),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="kind_mask",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="types (bits)"),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="rent_min",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=8, null=True, verbose_name="loyer minimum"
            ),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="rent_max",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=8, null=True, verbose_name="loyer maximum"
            ),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="reduced_mobility_only",
            field=models.BooleanField(default=False, verbose_name="PMR seulement"),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="available_now_only",
            field=models.BooleanField(
                default=False, verbose_name="disponibles immédiatement seulement"
            ),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="place_anywhere",
            field=models.BooleanField(default=True, verbose_name="partout"),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="place_communes",
            field=models.ManyToManyField(
                blank=True, related_name="+", to="territoires.commune", verbose_name="communes"
            ),
        ),
        migrations.AddField(
            model_name="searchalert",
            name="place_departments",
            field=models.ManyToManyField(
                blank=True,
                related_name="+",
                to="territoires.department",
                verbose_name="départements",
            ),
        ),
    ]
