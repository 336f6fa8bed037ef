"""The company administrator invites and removes colleagues (the membership pattern
shared with landlords)."""

from html import unescape

from django.urls import reverse

from accounts.models import User
from entreprises.models import CompanyMembership


def test_the_company_administrator_invites_then_removes_a_colleague(
    client, hr, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(hr.user)
    with django_capture_on_commit_callbacks(execute=True):
        page = unescape(
            client.post(
                reverse("entreprises:members"),
                {"email": "collegue.rh@example.org", "first_name": "Léa", "last_name": "RH"},
                follow=True,
            ).content.decode()
        )
    assert "Une invitation a été envoyée à collegue.rh@example.org" in page
    colleague = CompanyMembership.objects.get(user__email="collegue.rh@example.org")
    assert colleague.company == hr.company and colleague.user.role == User.Role.COMPANY
    assert mailoutbox[-1].to == ["collegue.rh@example.org"]

    client.post(reverse("entreprises:member_remove", args=[colleague.pk]))
    assert not CompanyMembership.objects.filter(pk=colleague.pk).exists()
    assert not User.objects.get(email="collegue.rh@example.org").is_active


def test_a_colleague_who_is_not_administrator_cannot_invite(client, hr):
    from tests.entreprises.factories import CompanyMembershipFactory

    plain = CompanyMembershipFactory(company=hr.company, is_admin=False)
    client.force_login(plain.user)
    client.post(reverse("entreprises:members"), {"email": "x@example.org"})
    assert not User.objects.filter(email="x@example.org").exists()
