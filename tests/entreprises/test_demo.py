"""The demo company of `make run`: an HR login and employees at each of the choices."""

from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from demandes.models import Demande
from entreprises.demo import HR_EMAIL


@pytest.mark.django_db
def test_the_demo_company_has_an_hr_login_and_employees_at_each_choice(client):
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=StringIO())  # idempotent
    assert HR_EMAIL in out.getvalue() and "RH entreprise" in out.getvalue()
    choices = set(
        Demande.objects.filter(company_code="ACME").values_list("data_sharing", flat=True)
    )
    assert choices == {1, 2, 3, 4}
    client.force_login(User.objects.get(email=HR_EMAIL))
    page = unescape(client.get("/entreprise/").content.decode())
    assert "Acme Logistique" in page and "moins de 5" in page
    assert "Camille1 EXEMPLE" in page and "Camille5" not in page
    assert 'href="/entreprise/"' in page  # the role's navigation entry
