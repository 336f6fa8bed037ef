from celery import shared_task

from . import services


@shared_task
def close_expired_offers():
    """Daily: close the offers whose application deadline has passed."""
    return services.close_expired_offers()


@shared_task
def send_alert_digests():
    """Daily: email each saved search its new matching offers."""
    return services.send_alert_digests()
