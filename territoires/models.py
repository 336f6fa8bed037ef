from django.db import models


class Zone(models.TextChoices):
    """Geographic zones of the social-housing resource ceilings (arrêté du 29 juillet 1987)."""

    PARIS = "paris", "Paris et communes limitrophes"
    IDF = "idf", "Île-de-France hors Paris et communes limitrophes"
    OTHER = "autres", "Autres régions"


class Department(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    name = models.CharField("nom", max_length=100)
    region_code = models.CharField("code région", max_length=3)
    region_name = models.CharField("région", max_length=100, blank=True)

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class CommuneQuerySet(models.QuerySet):
    def search(self, text):
        """Communes whose name starts with the text, or whose postal code or INSEE code does."""
        from django.db.models import Q

        text = (text or "").strip()
        if not text:
            return self.none()
        if text[:1].isdigit():
            return self.filter(Q(postal_code__startswith=text) | Q(insee_code__startswith=text))
        return self.filter(search_name__startswith=normalise_name(text))


def normalise_name(text):
    """Lower case without accents or punctuation, so "saint-ouen" finds "Saint-Ouen-sur-Seine"."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


class Commune(models.Model):
    """A French commune (or a municipal district of Paris, Lyon or Marseille)."""

    insee_code = models.CharField("code INSEE", max_length=5, primary_key=True)
    name = models.CharField("nom", max_length=100)
    search_name = models.CharField(
        "nom pour la recherche", max_length=100, db_index=True, editable=False
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    postal_code = models.CharField("code postal principal", max_length=5, db_index=True)
    postal_codes = models.JSONField("codes postaux", default=list)
    population = models.PositiveIntegerField("population", default=0)
    is_district = models.BooleanField("arrondissement municipal", default=False)
    zone = models.CharField(
        "zone des plafonds de ressources", max_length=6, choices=Zone.choices, default=Zone.OTHER
    )
    # The intercommunalité (EPCI, by its SIREN): the communes "around" a wished one.
    epci = models.CharField("intercommunalité (EPCI)", max_length=9, blank=True, db_index=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.postal_code})"

    def save(self, *args, **kwargs):
        self.search_name = normalise_name(self.name)
        super().save(*args, **kwargs)
