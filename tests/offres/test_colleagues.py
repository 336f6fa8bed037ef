"""A landlord administrator invites and removes colleagues in the landlord space
(the generic membership pattern of accounts.memberships)."""

import re
from html import unescape

import pytest
from django.core import mail

from accounts.memberships import MembershipError, invite_member, membership_of, remove_member
from accounts.models import User
from offres.models import LandlordMembership
from tests.accounts.factories import PASSWORD, UserFactory
from tests.offres.factories import LandlordMembershipFactory, OfferFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Logement2026!x"


def text(response):
    return unescape(response.content.decode())


@pytest.fixture
def admin(client):
    membership = LandlordMembershipFactory(is_admin=True)
    client.force_login(membership.user)
    return membership


def test_an_administrator_invites_a_colleague_who_chooses_a_password_and_sees_the_offers(
    client, admin, django_capture_on_commit_callbacks
):
    OfferFactory(landlord=admin.landlord, title="T3 avec balcon")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/bailleur/collegues/",
            {"email": " Paul.Durand@Bailleur.example ", "first_name": "Paul", "last_name": "D"},
        )
    assert response.status_code == 302
    assert "Une invitation a été envoyée à paul.durand@bailleur.example" in text(
        client.get(response.url)
    )
    colleague = User.objects.get(email="paul.durand@bailleur.example")
    assert colleague.role == User.Role.LANDLORD and not colleague.has_usable_password()
    assert colleague.landlord_membership.landlord == admin.landlord
    assert colleague.landlord_membership.invited_by == admin.user
    assert not colleague.landlord_membership.is_admin
    [email] = mail.outbox
    assert email.to == ["paul.durand@bailleur.example"]
    assert admin.landlord.name in email.subject
    link = re.search(r"https?://\S+/compte/mot-de-passe/\S+/", email.body).group(0)

    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post(f"/{path}", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.login(email="paul.durand@bailleur.example", password=NEW_PASSWORD)
    assert "T3 avec balcon" in text(client.get("/bailleur/"))
    # The link works once.
    client.logout()
    assert client.get(f"/{path}").status_code == 400


def test_the_colleagues_page_lists_everyone_with_pending_invitations(client, admin):
    other = LandlordMembershipFactory(landlord=admin.landlord)
    LandlordMembershipFactory()  # another landlord's staff: not listed
    page = text(client.get("/bailleur/collegues/"))
    assert admin.user.email in page and other.user.email in page
    assert page.count("list-group-item") == 2
    assert "Envoyer l'invitation" in page


def test_a_colleague_who_is_not_administrator_cannot_invite_or_remove(client):
    member = LandlordMembershipFactory(is_admin=False)
    boss = LandlordMembershipFactory(landlord=member.landlord, is_admin=True)
    client.force_login(member.user)
    page = text(client.get("/bailleur/collegues/"))
    assert "Envoyer l'invitation" not in page and "Seuls les administrateurs" in page
    client.post("/bailleur/collegues/", {"email": "intrus@example.org"})
    assert not User.objects.filter(email="intrus@example.org").exists()
    client.post(f"/bailleur/collegues/{boss.pk}/retirer/")
    assert LandlordMembership.objects.filter(pk=boss.pk).exists()
    with pytest.raises(MembershipError):
        remove_member(membership=boss, by=member.user)


def test_an_address_used_by_another_space_is_refused_in_french_and_nothing_changes(client, admin):
    applicant = UserFactory(email="candidat@example.org")
    response = client.post("/bailleur/collegues/", {"email": "candidat@example.org"})
    assert response.status_code == 200
    assert "déjà utilisée sur AL'in pour un autre espace" in text(response)
    applicant.refresh_from_db()
    assert applicant.role == User.Role.APPLICANT and membership_of(applicant) is None
    other_landlord_staff = LandlordMembershipFactory().user
    response = client.post("/bailleur/collegues/", {"email": other_landlord_staff.email})
    assert "déjà utilisée" in text(response)
    response = client.post("/bailleur/collegues/", {"email": admin.user.email})
    assert "fait déjà partie de vos collègues" in text(response)
    response = client.post("/bailleur/collegues/", {"email": "pas-une-adresse"})
    assert "Saisissez une adresse email valide." in text(response)
    assert LandlordMembership.objects.count() == 2


def test_removing_a_colleague_closes_their_access_and_the_last_admin_stays(client, admin):
    colleague = LandlordMembershipFactory(landlord=admin.landlord)
    client.post(f"/bailleur/collegues/{colleague.pk}/retirer/")
    assert not LandlordMembership.objects.filter(pk=colleague.pk).exists()
    colleague.user.refresh_from_db()
    assert not colleague.user.is_active
    assert not client.login(email=colleague.user.email, password=PASSWORD)
    # The last administrator cannot leave the landlord without one.
    response = client.post(f"/bailleur/collegues/{admin.pk}/administrateur/", {"is_admin": "0"})
    assert "Il faut au moins un administrateur." in text(client.get(response.url))
    with pytest.raises(MembershipError):
        remove_member(membership=admin, by=admin.user)
    assert LandlordMembership.objects.get(pk=admin.pk).is_admin


def test_a_removed_colleague_can_be_invited_again(
    client, admin, django_capture_on_commit_callbacks
):
    colleague = LandlordMembershipFactory(landlord=admin.landlord)
    remove_member(membership=colleague, by=admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        again = invite_member(
            organisation=admin.landlord, email=colleague.user.email, by=admin.user
        )
    again.user.refresh_from_db()
    assert again.user.is_active and again.landlord == admin.landlord
    # The account keeps its password: the email says to sign in.
    assert "Connectez-vous" in mail.outbox[-1].body
    assert client.login(email=colleague.user.email, password=PASSWORD)


def test_an_administrator_names_another_and_resends_an_invitation(
    client, admin, django_capture_on_commit_callbacks
):
    colleague = LandlordMembershipFactory(landlord=admin.landlord)
    client.post(f"/bailleur/collegues/{colleague.pk}/administrateur/", {"is_admin": "1"})
    colleague.refresh_from_db()
    assert colleague.is_admin
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/bailleur/collegues/{colleague.pk}/renvoyer/")
    assert mail.outbox[-1].to == [colleague.user.email]


def test_another_landlords_administrator_gets_404_on_our_colleagues(client, admin):
    colleague = LandlordMembershipFactory(landlord=admin.landlord)
    stranger = LandlordMembershipFactory(is_admin=True)
    client.force_login(stranger.user)
    for action in ("retirer", "renvoyer", "administrateur"):
        assert client.post(f"/bailleur/collegues/{colleague.pk}/{action}/").status_code == 404
    assert LandlordMembership.objects.filter(pk=colleague.pk, is_admin=False).exists()


def test_a_landlord_account_without_membership_or_another_role_with_one_gets_404(client):
    orphan = UserFactory(role=User.Role.LANDLORD)
    client.force_login(orphan)
    assert client.get("/bailleur/").status_code == 404
    membership = LandlordMembershipFactory()
    membership.user.role = User.Role.APPLICANT
    membership.user.save()
    client.force_login(membership.user)
    assert client.get("/bailleur/").status_code == 404


def test_one_tab_is_active_on_each_landlord_page(client, admin):
    for path, label in (
        ("/bailleur/", "Mes offres"),
        ("/bailleur/candidatures/", "Candidatures transmises"),
        ("/bailleur/collegues/", "Mes collègues"),
    ):
        page = text(client.get(path))
        active = re.findall(r'nav-link active"[^>]*aria-current="page">([^<]+)<', page)
        assert active == [label], path
