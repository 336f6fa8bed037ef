#!/bin/sh
# Celery beat (one process for the whole installation). Its schedule file goes to a
# writable place, never the application folder: the image's user cannot write /app.
set -eu
schedule="${CELERY_BEAT_SCHEDULE_FILE:-/tmp/alin-beat/celerybeat-schedule}"
mkdir -p "$(dirname "$schedule")"
exec celery -A alin beat -l "${LOG_LEVEL:-info}" --schedule "$schedule"
