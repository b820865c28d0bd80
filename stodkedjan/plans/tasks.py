"""Background work (django-tasks): the daily follow-up reminders (``manage.py send_plan_reminders``) and the
rounds opened by schedule (``manage.py open_scheduled_rounds``)."""

from django_tasks import task

from stodkedjan.core.tasks import retried
from stodkedjan.plans import services


@task()
@retried
def send_plan_reminders() -> int:
    return services.send_reminders().emails


@task()
@retried
def open_scheduled_rounds() -> int:
    return services.open_scheduled_rounds()
