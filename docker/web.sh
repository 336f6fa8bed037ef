#!/bin/sh
# The web process: gunicorn on $PORT. Writes nothing in the image (logs to stdout).
set -eu
exec gunicorn alin.wsgi \
    --bind "0.0.0.0:${PORT:-8000}" \
    --workers "${WEB_CONCURRENCY:-3}" \
    --timeout "${WEB_TIMEOUT:-30}" \
    --access-logfile -
