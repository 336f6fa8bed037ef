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


@shared_task
def match_new_offer(offer_id):
    """Right after a publication: the saved searches the offer matches, emailed."""
    from . import alerts

    return alerts.match_new_offer(offer_id)


@shared_task
def send_immediate_alerts():
    """Every few minutes: lost matchings retried, offers that waited for their alert's
    hour sent."""
    from . import alerts

    return alerts.retry_unmatched()
