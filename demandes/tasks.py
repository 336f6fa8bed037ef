from celery import shared_task

from . import services


@shared_task
def check_validity():
    """Daily: renewal reminders (a month, a week before the end) and expired requests."""
    return services.check_validity()
