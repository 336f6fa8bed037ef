"""allauth adapter: the portal's sign-up journey and the outbox for every email."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, queue_rendered_email

from .ratelimits import lockout_message, longest_wait, retry_after

INITIAL_PASSWORD_SALT = "accounts.initial-password"  # noqa: S105 — a signing salt


def initial_password_token(user):
    """A signed token that lets a validated account choose its first password."""
    return signing.dumps({"u": user.pk, "e": user.email}, salt=INITIAL_PASSWORD_SALT)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "L'adresse email ou le mot de passe est incorrect.",
        "too_many_login_attempts": lockout_message(longest_wait("login_failed")),
    }

    def pre_authenticate(self, request, **credentials):
        """Refuse a locked-out sign-in with the actual wait in the message."""
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:
            key = self._get_login_attempts_cache_key(request, **credentials)
            wait = retry_after(request, action="login_failed", key=key)
            raise forms.ValidationError(
                lockout_message(wait or longest_wait("login_failed")),
                code="too_many_login_attempts",
            ) from None

    def send_mail(self, template_prefix, email, context):
        """Render allauth's email and write it to the outbox (sent by Celery after commit).

        allauth builds some links from the request's host; every link of an email is
        rebuilt here from SITE_URL, the portal's public address.
        """
        context = {
            "SITE_URL": settings.SITE_URL,
            "SUPPORT_PHONE": settings.SUPPORT_PHONE,
            "email": email,
            **context,
            "login_url": absolute_url(reverse("account_login")),
        }
        if "signup_url" in context:
            context["signup_url"] = absolute_url(reverse("account_signup"))
        if "timestamp" in context:  # a security notification (ACCOUNT_EMAIL_NOTIFICATIONS)
            context["password_reset_url"] = absolute_url(reverse("account_reset_password"))
        if template_prefix == "account/email/account_already_exists":
            context["password_reset_url"] = absolute_url(reverse("account_reset_password"))
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        queue_rendered_email(
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            template=template_prefix,
        )

    def send_confirmation_mail(self, request, emailconfirmation, signup):
        """An account still waiting for validation always gets the "Demande d'accès"
        email (also when the link is sent again from the sign-in page); a new address
        of a validated account gets the address-change one."""
        from allauth.account.models import EmailAddress

        user = emailconfirmation.email_address.user
        if not signup and not EmailAddress.objects.filter(user=user, verified=True).exists():
            signup = True
        super().send_confirmation_mail(request, emailconfirmation, signup)

    def add_message(self, request, level, message_template=None, *args, **kwargs):
        # "Validation du compte" already says where the link went.
        if message_template == "account/messages/email_confirmation_sent.txt":
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def respond_email_verification_sent(self, request, user):
        # "Validation du compte" names the address the link went to (sign-up, or a
        # sign-in before validation); SignupForm.try_save covers a known address.
        if user is not None:
            from .forms import SIGNUP_EMAIL_SESSION_KEY

            request.session[SIGNUP_EMAIL_SESSION_KEY] = user.email
        return super().respond_email_verification_sent(request, user)

    def format_email_subject(self, subject):
        # The guide's subjects are complete ("Action Logement Services : Demande d'accès").
        return subject

    def get_email_confirmation_url(self, request, emailconfirmation):
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))

    def get_reset_password_from_key_url(self, key):
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", key))

    def save_user(self, request, user, form, commit=True):
        """Store the sign-up form's identity, phone and dated consent on the user."""
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.civility = data["civility"]
        user.last_name = data["last_name"]
        user.first_name = data["first_name"]
        user.mobile_phone = data["mobile_phone"]
        user.data_consent_at = timezone.now()
        user.data_consent_version = settings.PRIVACY_NOTICE_VERSION
        user.set_unusable_password()
        if commit:
            user.save()
        return user

    def get_email_verification_redirect_url(self, email_address):
        """After the emailed link: choose the first password, or back to "Mon compte"."""
        user = email_address.user
        if not user.has_usable_password():
            token = initial_password_token(user)
            return reverse("accounts:initial_password", args=[token])
        if self.request.user.is_authenticated:
            return reverse("accounts:profile")
        return reverse("account_login")

    def is_open_for_signup(self, request):
        return True


def send_choose_password_email(user):
    """Email a landlord or company account created by an advisor a link to choose its
    password (the password-reset link, valid 12 hours)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    adapter = AccountAdapter()
    adapter.send_mail(
        "account/email/password_reset_key",
        user.email,
        {"user": user, "password_reset_url": adapter.get_reset_password_from_key_url(key)},
    )
