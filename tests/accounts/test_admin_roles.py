"""Advisors create and manage the accounts of landlords, companies and other advisors
in the admin; the role decides staff status and the advisors' permissions."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import ADVISOR_GROUP
from tests.accounts.factories import (
    AdvisorFactory,
    LandlordUserFactory,
    SuperuserFactory,
    UserFactory,
    staff_login,
)

pytestmark = pytest.mark.django_db

NEW_PERSON = {
    "civility": User.Civility.MADAME,
    "last_name": "Petit",
    "first_name": "Inès",
    "mobile_phone": "",
}


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    def do(method, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return do


def create_in_admin(client, send, email, role):
    return send(
        client.post,
        "/admin/accounts/user/add/",
        {"email": email, "role": role, **NEW_PERSON},
    )


def test_the_advisors_group_holds_the_portal_permissions_but_not_djangos_own():
    group = Group.objects.get(name=ADVISOR_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert ("accounts", "add_user") in codenames
    assert ("accounts", "change_user") in codenames
    assert ("demandes", "view_demande") in codenames
    assert ("accounts", "delete_user") not in codenames
    assert not any(app == "auth" for app, _ in codenames)


def test_an_advisor_created_by_a_superuser_works_in_the_admin_without_being_superuser(
    client, send, mailoutbox
):
    staff_login(client, SuperuserFactory())
    create_in_admin(client, send, "ines.petit@actionlogement.example", "conseiller")
    colleague = User.objects.get(email="ines.petit@actionlogement.example")
    assert colleague.is_staff and not colleague.is_superuser and colleague.is_advisor
    assert colleague.groups.filter(name=ADVISOR_GROUP).exists()

    colleague.set_password("Conseil2026")
    colleague.save()
    client.logout()
    staff_login(client, colleague)
    assert client.get("/admin/").status_code == 200
    response = create_in_admin(client, send, "gestion@bailleur.example", "bailleur")
    assert response.status_code == 302
    landlord = User.objects.get(email="gestion@bailleur.example")
    assert landlord.is_landlord and not landlord.is_staff
    assert not landlord.groups.exists()
    assert mailoutbox[-1].to == ["gestion@bailleur.example"]


def test_an_advisor_who_is_not_superuser_cannot_grant_technical_rights(client, send):
    advisor = UserFactory(role=User.Role.ADVISOR, is_staff=True)
    advisor.groups.add(Group.objects.get(name=ADVISOR_GROUP))
    superuser = SuperuserFactory(email="technique@alin.example")
    landlord = LandlordUserFactory(email="gestion@bailleur.example")
    staff_login(client, advisor)

    listing = client.get("/admin/accounts/user/").content.decode()
    assert "gestion@bailleur.example" in listing
    assert "technique@alin.example" not in listing
    assert client.get(f"/admin/accounts/user/{superuser.pk}/change/").status_code == 302

    page = client.get(f"/admin/accounts/user/{landlord.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page


def test_changing_the_role_moves_staff_status_and_group(client, send):
    staff_login(client, SuperuserFactory())
    create_in_admin(client, send, "ines.petit@actionlogement.example", "conseiller")
    user = User.objects.get(email="ines.petit@actionlogement.example")
    response = client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "email": user.email,
            "role": User.Role.COMPANY,
            "is_active": "on",
            "is_staff": "on",
            **NEW_PERSON,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.role == User.Role.COMPANY and not user.is_staff
    assert not user.groups.exists()


def test_accounts_are_deleted_from_the_admin_only_by_anonymising_them(client):
    staff_login(client, AdvisorFactory())
    person = UserFactory(email="zoe@example.org")
    page = client.get("/admin/accounts/user/").content.decode()
    assert "delete_selected" not in page
    client.post(
        "/admin/accounts/user/",
        {"action": "anonymise", "_selected_action": [person.pk]},
    )
    person.refresh_from_db()
    assert not person.is_active and person.email.endswith("@anonyme.invalid")
