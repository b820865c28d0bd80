"""Background work (django-tasks): the daily follow-up reminders (``manage.py send_plan_reminders``)."""

from django_tasks import task

from stodkedjan.core.tasks import retried
from stodkedjan.plans import services


@task()
@retried
def send_plan_reminders() -> int:
    return services.send_reminders().emails
