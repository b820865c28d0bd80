"""Background work (django-tasks): run daily by ``manage.py network_tasks``, which enqueues these. Each is
idempotent: what it has done is marked in the same row, so a retry or a second run does nothing twice."""

from django_tasks import task

from stodkedjan.core.tasks import retried
from stodkedjan.network import services


@task()
@retried
def send_announcement_digest() -> int:
    return services.send_digests()


@task()
@retried
def send_event_evaluations() -> int:
    return services.send_evaluations()


@task()
@retried
def delete_past_registrations() -> int:
    return services.delete_personal_data()


DAILY = [send_announcement_digest, send_event_evaluations, delete_past_registrations]
