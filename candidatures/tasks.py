from celery import shared_task

from . import services


@shared_task
def end_stale():
    """End candidatures on offers allocated or closed without a decision."""
    return services.end_stale()


@shared_task
def remind_advisors():
    """Working days at 8:00: remind advisors of candidatures waiting for validation."""
    return services.remind_advisors()


@shared_task
def expire_unanswered():
    """Daily: proposals not answered in time count as declined; the next one is asked."""
    return services.expire_unanswered()


@shared_task
def refresh_outcomes():
    """Daily: recompute « Résultats des attributions » (anonymised, last 12 months)."""
    from . import outcomes

    return outcomes.refresh()


@shared_task
def remind_answer_due():
    """Daily: remind the applicant 3 working days before a proposal's answer deadline."""
    return services.remind_answer_due()
