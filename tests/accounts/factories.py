import factory
from allauth.account.models import EmailAddress

from accounts.models import User
from accounts.roles import apply_role

PASSWORD = "Motdepasse1"


class UserFactory(factory.django.DjangoModelFactory):
    """A signed-up user whose email is verified and whose password is set."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    civility = User.Civility.MADAME
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    mobile_phone = "+33612345678"
    role = User.Role.APPLICANT

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class AdvisorFactory(UserFactory):
    """A real advisor: staff, in the advisors' group, not a superuser."""

    role = User.Role.ADVISOR
    is_staff = True
    is_superuser = False

    @factory.post_generation
    def advisor_group(obj, create, extracted, **kwargs):
        if create:
            apply_role(obj)


class SuperuserFactory(AdvisorFactory):
    """A technical administrator (superuser)."""

    is_superuser = True


class LandlordUserFactory(UserFactory):
    role = User.Role.LANDLORD


class CompanyUserFactory(UserFactory):
    role = User.Role.COMPANY


def reauthenticate(client, password=PASSWORD):
    """Type the password again, as allauth asks before changing the address or deleting
    the account (a session opened by ``force_login`` has no recent sign-in)."""
    response = client.post("/compte/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
