#!/bin/sh
# Run once per deployment, before web/worker/beat: migrations and reference data,
# idempotent, never demo data (`python manage.py demo --force` is a separate, explicit step).
set -eu
exec python manage.py bootstrap --no-color
