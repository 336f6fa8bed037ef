import factory

from territoires.models import Commune, Department
from territoires.zones import zone_for


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "93"
    name = "Seine-Saint-Denis"
    region_code = "11"
    region_name = "Île-de-France"


class CommuneFactory(factory.django.DjangoModelFactory):
    """A commune; by default Saint-Ouen-sur-Seine (93070), as in the guide's screenshots."""

    class Meta:
        model = Commune
        django_get_or_create = ("insee_code",)

    insee_code = "93070"
    name = "Saint-Ouen-sur-Seine"
    department = factory.SubFactory(DepartmentFactory)
    postal_code = "93400"
    postal_codes = factory.LazyAttribute(lambda o: [o.postal_code])
    zone = factory.LazyAttribute(lambda o: zone_for(o.insee_code, o.department.code))
