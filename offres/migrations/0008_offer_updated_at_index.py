from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("offres", "0007_alert_feed_token")]

    operations = [
        migrations.AddIndex(
            model_name="offer",
            index=models.Index(fields=["updated_at"], name="offer_updated_at"),
        ),
    ]
