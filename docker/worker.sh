#!/bin/sh
# A Celery worker for the queues of $CELERY_QUEUES (emails first in their own service).
set -eu
exec celery -A alin worker -l "${LOG_LEVEL:-info}" \
    --concurrency "${CELERY_CONCURRENCY:-2}" \
    -Q "${CELERY_QUEUES:-emails,alerts,housekeeping,celery}"
