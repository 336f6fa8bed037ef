"""Prometheus metrics, computed when scraped: the outbox by status, the age of the oldest
email waiting, the length of each Celery queue and whether the broker answers.

Computed from PostgreSQL and Redis at scrape time (not counters in the web process), so
every gunicorn process gives the same, complete figures.
"""

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from .models import OutgoingEmail

QUEUES = ("emails", "alerts", "housekeeping", "celery")


class PortalCollector:
    def collect(self):
        counts = dict(
            OutgoingEmail.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        outbox = GaugeMetricFamily(
            "alin_outbox_emails", "Outbox emails by status.", labels=["status"]
        )
        for status in OutgoingEmail.Status.values:
            outbox.add_metric([status], counts.get(status, 0))
        yield outbox
        oldest = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.PENDING).aggregate(
            oldest=Min("created_at")
        )["oldest"]
        yield GaugeMetricFamily(
            "alin_outbox_oldest_pending_seconds",
            "Age of the oldest email still waiting to be sent.",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0,
        )
        yield from self.queues()

    def queues(self):
        up = GaugeMetricFamily("alin_broker_up", "1 when the Celery broker (Redis) answers.")
        lengths = GaugeMetricFamily(
            "alin_celery_queue_length", "Messages waiting in each Celery queue.", labels=["queue"]
        )
        if not settings.CELERY_BROKER_URL.startswith("redis"):
            up.add_metric([], 1)
            yield up
            return
        import redis

        try:
            client = redis.Redis.from_url(
                settings.CELERY_BROKER_URL, socket_connect_timeout=0.5, socket_timeout=0.5
            )
            for queue in QUEUES:
                lengths.add_metric([queue], client.llen(queue))
        except redis.RedisError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield lengths


def render():
    registry = CollectorRegistry(auto_describe=False)
    registry.register(PortalCollector())
    return generate_latest(registry)
