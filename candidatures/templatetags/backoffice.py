"""The admin index's work queue, as the admin's own index reads its recent actions
(``{% get_admin_log %}``): a tag the overridden ``admin/index.html`` calls."""

from django import template
from django.utils import timezone

from candidatures import backoffice
from candidatures.workflow import Status

register = template.Library()


@register.simple_tag
def work_queue():
    queue = backoffice.work_queue(timezone.now())
    queue["Status"] = Status
    return queue
