from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from phonenumber_field.modelfields import PhoneNumberField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse email est obligatoire.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", User.Role.ADVISOR)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address.

    The role says which space the person sees. Applicants sign up by themselves;
    landlord staff, company HR and advisors are created by advisors in the admin.
    """

    class Role(models.TextChoices):
        APPLICANT = "demandeur", "Demandeur"
        LANDLORD = "bailleur", "Bailleur"
        COMPANY = "entreprise", "Entreprise"
        ADVISOR = "conseiller", "Conseiller Action Logement"

    class Civility(models.TextChoices):
        MADAME = "mme", "Madame"
        MONSIEUR = "m", "Monsieur"

    email = models.EmailField("adresse email", unique=True)
    civility = models.CharField("civilité", max_length=3, choices=Civility.choices, blank=True)
    last_name = models.CharField("nom de naissance", max_length=150, blank=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    mobile_phone = PhoneNumberField("téléphone portable", blank=True)
    role = models.CharField(
        "rôle", max_length=12, choices=Role.choices, default=Role.APPLICANT, db_index=True
    )
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField(
        "conseiller (accès à l'administration)",
        default=False,
        help_text="Les conseillers Action Logement entrent dans l'administration.",
    )
    date_joined = models.DateTimeField("date d'inscription", default=timezone.now)
    data_consent_at = models.DateTimeField(
        "consentement données personnelles le", null=True, blank=True
    )
    data_consent_version = models.CharField(
        "version de la notice acceptée", max_length=20, blank=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email=models.functions.Lower("email")),
                name="user_email_lowercase",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_applicant(self):
        return self.role == self.Role.APPLICANT

    @property
    def is_landlord(self):
        return self.role == self.Role.LANDLORD

    @property
    def is_company(self):
        return self.role == self.Role.COMPANY

    @property
    def is_advisor(self):
        return self.is_staff
