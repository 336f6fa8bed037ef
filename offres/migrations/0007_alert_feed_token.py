import secrets

from django.db import migrations, models


def give_each_alert_a_token(apps, schema_editor):
    SearchAlert = apps.get_model("offres", "SearchAlert")
    for alert in SearchAlert.objects.filter(feed_token__isnull=True).only("pk"):
        alert.feed_token = secrets.token_urlsafe()
        alert.save(update_fields=["feed_token"])


class Migration(migrations.Migration):
    # Three steps: a unique column cannot be added with one default for existing rows.
    dependencies = [("offres", "0006_membership_admin")]

    operations = [
        migrations.AddField(
            model_name="searchalert",
            name="feed_token",
            field=models.CharField(max_length=64, null=True, verbose_name="jeton du flux"),
        ),
        migrations.RunPython(give_each_alert_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="searchalert",
            name="feed_token",
            field=models.CharField(
                default=secrets.token_urlsafe,
                max_length=64,
                unique=True,
                verbose_name="jeton du flux",
            ),
        ),
    ]
