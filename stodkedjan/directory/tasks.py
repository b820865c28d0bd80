"""Background work (django-tasks): the daily verification requests and reminders
(``manage.py send_verification_requests``)."""

from django_tasks import task

from stodkedjan.core.tasks import retried
from stodkedjan.directory import verification


@task()
@retried
def send_verification_requests() -> int:
    return verification.send_due().emails
