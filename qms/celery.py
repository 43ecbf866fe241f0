"""The Celery application, configured from Django's settings (the CELERY_* names in
qms/settings/base.py).

With REDIS_URL set, `celery -A qms worker` takes the tasks and `celery -A qms beat`
sends the daily ones; without it every task runs at once in the process that sends
it (`task_always_eager`), which is what `make run` and the tests use.

Tasks live in each app's `tasks.py` (found by autodiscovery); long work is a job
task (qms/jobs/runner.py), recorded as a qms.Job with a progress page.
"""

import os

from celery import Celery

# A worker is a server process, like gunicorn's (qms/wsgi.py).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qms.settings.production")

app = Celery("qms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
