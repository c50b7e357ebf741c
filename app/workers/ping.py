"""`python -m app.workers.ping`: exit 0 when a Celery worker answers (the worker healthcheck)."""

import sys

from app.settings import get_settings
from app.workers.celery_app import make_celery

if __name__ == "__main__":
    replies = make_celery(get_settings()).control.ping(timeout=5)
    sys.exit(0 if replies else 1)
