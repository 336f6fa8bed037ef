"""Staff (advisors, superusers) read the personal data of a whole country: the admin's
sign-in is the portal's (rate limits, lockout), and no admin page opens without a second
factor (TOTP, or a recovery code). The codes are computed here as a phone would."""

import re
from html import unescape

import pytest
from allauth.mfa.models import Authenticator

from accounts.second_factor import a_recovery_code
from tests.accounts.factories import (
    PASSWORD,
    AdvisorFactory,
    SuperuserFactory,
    reauthenticate,
    totp_code,
)

pytestmark = pytest.mark.django_db


def text(response):
    return unescape(response.content.decode())


def sign_in(client, email, password=PASSWORD):
    return client.post("/compte/login/?next=/admin/", {"login": email, "password": password})


def test_the_admin_login_page_is_the_portals_sign_in(client):
    advisor = AdvisorFactory(email="claire@alin.example")
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 302
    assert page["Location"].startswith("/compte/login/")
    # Django's own admin form no longer signs anyone in (no limit, no second factor).
    posted = client.post(
        "/admin/login/?next=/admin/", {"username": advisor.email, "password": PASSWORD}
    )
    assert posted.status_code == 302 and posted["Location"].startswith("/compte/login/")
    assert "_auth_user_id" not in client.session


def test_admin_sign_ins_share_the_lockout(client):
    AdvisorFactory(email="claire@alin.example")
    for _ in range(5):
        sign_in(client, "claire@alin.example", "Mauvais2026")
    locked = sign_in(client, "claire@alin.example")
    assert "Trop de tentatives de connexion infructueuses" in text(locked)
    assert client.get("/admin/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_password_alone_does_not_open_the_admin(client):
    advisor = AdvisorFactory(email="claire@alin.example")
    step = sign_in(client, advisor.email)
    assert step["Location"].startswith("/compte/2fa/authenticate/")
    assert client.get("/admin/").status_code == 302  # not signed in yet

    wrong = client.post("/compte/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert client.get("/admin/").status_code == 302

    done = client.post("/compte/2fa/authenticate/", {"code": totp_code(advisor.totp_secret)})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_staff_session_without_the_second_factor_is_asked_for_it(client):
    superuser = SuperuserFactory()
    client.force_login(superuser)  # e.g. a session opened before MFA was required
    asked = client.get("/admin/accounts/user/")
    assert asked.status_code == 302
    assert asked["Location"] == "/compte/2fa/reauthenticate/?next=%2Fadmin%2Faccounts%2Fuser%2F"
    client.post(asked["Location"], {"code": totp_code(superuser.totp_secret)})
    assert client.get("/admin/accounts/user/").status_code == 200


def test_a_staff_account_without_totp_activates_it_before_the_admin(client):
    advisor = AdvisorFactory(email="claire@alin.example", totp=False)
    client.force_login(advisor)
    sent = client.get("/admin/", follow=True)
    assert sent.redirect_chain[0][0] == "/compte/2fa/totp/activate/"
    reauthenticate(client)
    page = text(client.get("/compte/2fa/totp/activate/"))
    secret = re.search(r'value="([A-Z2-7]{32})"', page).group(1)
    client.post("/compte/2fa/totp/activate/", {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=advisor, type=Authenticator.Type.TOTP).exists()

    asked = client.get("/admin/")
    assert asked["Location"].startswith("/compte/2fa/reauthenticate/")
    client.post(asked["Location"], {"code": totp_code(secret, step=1)})
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_opens_the_admin_once(client):
    advisor = AdvisorFactory(email="claire@alin.example")
    code = a_recovery_code(advisor)
    sign_in(client, advisor.email)
    client.post("/compte/2fa/authenticate/", {"code": code})
    assert client.get("/admin/").status_code == 200

    client.logout()
    sign_in(client, advisor.email)
    again = client.post("/compte/2fa/authenticate/", {"code": code})
    assert again.status_code == 200  # refused: the form again
    assert client.get("/admin/").status_code == 302


def test_the_demo_prints_what_the_advisors_need_to_enter_the_admin(client):
    from io import StringIO

    from accounts import demo

    logins = demo.load(StringIO())
    staff = [(email, text) for role, email, text in logins if "Conseill" in role]
    assert len(staff) == 2
    for email, printed in staff:
        secret = re.search(r"clé TOTP ([A-Z2-7]{32})", printed).group(1)
        assert re.search(r"code de secours \w+", printed)
        client.logout()
        sign_in(client, email, demo.DEMO_PASSWORD)
        client.post("/compte/2fa/authenticate/", {"code": totp_code(secret)})
        assert client.get("/admin/").status_code == 200
    # Idempotent: the same key the second time.
    assert [t for _, _, t in demo.load(StringIO())][:1] == [t for _, _, t in logins][:1]
