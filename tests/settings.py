"""The test run's settings: the portal's own, in development mode.

The portal defaults to production (DEBUG unset means off, and a real SECRET_KEY is then
required); the tests, like `make run`, work in development mode unless the environment
says otherwise. Processes the tests start (Celery workers, `manage.py`) inherit DEBUG and
load `alin.settings` themselves.
"""

import os

os.environ.setdefault("DEBUG", "true")

from alin.settings import *  # noqa: E402, F403

os.environ["DJANGO_SETTINGS_MODULE"] = "alin.settings"
