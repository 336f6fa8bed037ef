"""Company points: designation within the yearly quota, needing choice 2, 3 or 4; with
choice 1 no company points ("pas de points entreprise"), the 10+ priority still counts."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from candidatures import services as candidature_services
from candidatures.models import Candidature
from entreprises import services
from entreprises.models import Designation
from tests.offres.factories import OfferFactory


def text(response):
    return unescape(response.content.decode())


def ranking(offer):
    return list(
        Candidature.objects.filter(offer=offer)
        .ranked()
        .order_by("position")
        .values_list("number", flat=True)
    )


def test_a_designation_needs_choice_2_3_or_4_and_respects_the_yearly_quota(hr, employee):
    company = hr.company
    anonymous, first, second, third = employee(1), employee(2), employee(3), employee(4)
    with pytest.raises(services.NotVisible, match="rester anonyme"):
        services.designate(actor=hr.user, company=company, demande_pk=anonymous.pk)
    services.designate(actor=hr.user, company=company, demande_pk=first.pk)
    with pytest.raises(services.CompanyError, match="déjà désigné"):
        services.designate(actor=hr.user, company=company, demande_pk=first.pk)
    services.designate(actor=hr.user, company=company, demande_pk=second.pk)
    with pytest.raises(services.CompanyError, match="quota de 2 désignation"):
        services.designate(actor=hr.user, company=company, demande_pk=third.pk)
    assert Designation.objects.filter(company=company).count() == 2
    third.refresh_from_db()
    assert not third.company_designation
    first.refresh_from_db()
    assert first.company_designation


def test_hr_designates_from_the_employee_page_and_the_applicant_is_told(
    client, hr, employee, mailoutbox, django_capture_on_commit_callbacks
):
    demande = employee(2)
    client.force_login(hr.user)
    with django_capture_on_commit_callbacks(execute=True):
        page = text(client.post(reverse("entreprises:designate", args=[demande.pk]), follow=True))
    assert "Le salarié est désigné (points entreprise)." in page
    assert "Ce salarié est désigné par votre entreprise cette année." in page
    assert [m.to for m in mailoutbox] == [[demande.user.email]]
    assert "vous a désigné(e)" in mailoutbox[0].body
    full = employee(3)
    hr.company.designation_quota = 1
    hr.company.save()
    page = text(client.post(reverse("entreprises:designate", args=[full.pk]), follow=True))
    assert "Votre quota de 1 désignation(s)" in page


def test_the_designation_moves_the_employee_up_and_the_rank_explanation_says_so(
    client, hr, employee, place
):
    offer = OfferFactory(commune=place)
    older = employee(3, first_filed_on=datetime.date(2020, 1, 1))
    newer = employee(2, first_filed_on=datetime.date(2025, 1, 1))
    for demande in (older, newer):
        candidature_services.apply(user=demande.user, offer=offer, demande=demande)
    assert ranking(offer) == [older.number, newer.number]

    services.designate(actor=hr.user, company=hr.company, demande_pk=newer.pk)
    assert ranking(offer) == [newer.number, older.number]
    client.force_login(newer.user)
    page = text(client.get(reverse("candidatures:list")))
    assert "Votre rang : 1er sur 2" in page.replace("<strong>", "").replace("</strong>", "")
    assert "désigné par votre entreprise (points entreprise)" in page


def test_with_choice_1_the_designation_gives_no_points_but_the_10_plus_priority_stays(
    client, hr, employee, place
):
    offer = OfferFactory(commune=place)
    older = employee(3, first_filed_on=datetime.date(2020, 1, 1))
    # Designated (by the registry or by the company) but chose to stay anonymous.
    anonymous = employee(1, first_filed_on=datetime.date(2025, 1, 1), company_designation=True)
    small = employee(3, first_filed_on=datetime.date(2019, 1, 1), company_priority=False)
    for demande in (older, anonymous, small):
        candidature_services.apply(user=demande.user, offer=offer, demande=demande)
    assert ranking(offer) == [older.number, anonymous.number, small.number]
    client.force_login(anonymous.user)
    page = text(client.get(reverse("candidatures:list")))
    assert "pas de points entreprise (vous avez choisi de rester anonyme)" in page
    assert "salarié d'une entreprise de 10 salariés et plus" in page

    # Back to choice 2: the designation counts again, on the active candidature too.
    anonymous.data_sharing = 2
    anonymous.save()
    assert ranking(offer) == [anonymous.number, older.number, small.number]


def test_switching_to_choice_1_after_a_designation_removes_the_points(hr, employee, place):
    offer = OfferFactory(commune=place)
    older = employee(3, first_filed_on=datetime.date(2020, 1, 1))
    designated = employee(2, first_filed_on=datetime.date(2025, 1, 1))
    services.designate(actor=hr.user, company=hr.company, demande_pk=designated.pk)
    designated.refresh_from_db()
    for demande in (older, designated):
        candidature_services.apply(user=demande.user, offer=offer, demande=demande)
    assert ranking(offer) == [designated.number, older.number]
    designated.data_sharing = 1
    designated.save()
    assert ranking(offer) == [older.number, designated.number]


def test_a_registry_update_keeps_the_companys_designation(hr, employee):
    demande = employee(2)
    services.designate(actor=hr.user, company=hr.company, demande_pk=demande.pk)
    demande.refresh_from_db()
    demande.company_designation = False  # what the registry's copy says
    demande.save()
    demande.refresh_from_db()
    assert demande.company_designation


def test_the_mini_form_shows_each_choices_effect_on_company_points(client, employee):
    demande = employee(2)
    client.force_login(demande.user)
    page = text(client.get(reverse("demandes:information")))
    assert "(pas de points entreprise)" in page
    assert "la priorité des salariés des entreprises de 10 salariés et plus reste appliquée" in page
    assert page.count("points entreprise") >= 4
