from celery import shared_task

from . import outbox


@shared_task(acks_late=True, ignore_result=True)
def deliver_email(email_id):
    """One delivery attempt of one outbox email (see core/outbox.py).

    No broker retry: a failure is recorded on the row with its next attempt's time and
    ``dispatch_outbox`` queues it then, so each email has a single retry chain.
    """
    return outbox.deliver(email_id)


@shared_task(ignore_result=True)
def dispatch_outbox():
    """Every 30 s (beat): recover emails of dead workers, queue the emails that are due."""
    return outbox.dispatch()
