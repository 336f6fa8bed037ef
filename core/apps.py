from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Portail"

    def ready(self):
        from .observability import connect_celery_signals

        connect_celery_signals()
