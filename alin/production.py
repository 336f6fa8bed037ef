"""Guards that stop a production process from starting with unsafe values.

Called from the settings module when DEBUG is off, so that gunicorn, Celery and every
`manage.py` command refuse to start, with a message saying what to set.
"""

from django.core.exceptions import ImproperlyConfigured

# Keys that were published (the development fallback, the former docker-compose
# default): anybody could sign sessions and password-reset links with them.
PUBLISHED_KEYS = {
    "django-insecure-dev-only-key",
    "change-me-in-production-0123456789-abcdefghijklmnopqrstuvwxyz",
    "build-only",
}
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def secret_key_problem(key):
    """Why ``key`` cannot sign production data, or None when it can.

    The thresholds are Django's own (`check --deploy`, security.W009).
    """
    if not key:
        return "SECRET_KEY n'est pas défini"
    if key in PUBLISHED_KEYS or key.startswith("django-insecure"):
        return "SECRET_KEY est une clé publiée (développement ou exemple)"
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return (
            f"SECRET_KEY est trop faible (au moins {MIN_LENGTH} caractères, "
            f"dont {MIN_UNIQUE_CHARACTERS} différents)"
        )
    return None


def require_real_secret_key(key):
    problem = secret_key_problem(key)
    if problem:
        raise ImproperlyConfigured(
            f"{problem} : le portail refuse de démarrer en production (DEBUG n'est pas "
            "« true »). Générez une clé, par exemple "
            '`python -c "import secrets; print(secrets.token_urlsafe(50))"`, et passez-la '
            "dans la variable d'environnement SECRET_KEY ; pour développer en local, "
            "définissez DEBUG=true (ce que font `make run` et `make test`)."
        )
