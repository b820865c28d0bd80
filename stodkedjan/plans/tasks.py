"""Background work (django-tasks): the daily follow-up reminders (``manage.py send_plan_reminders``)."""

from django_tasks import task

from stodkedjan.plans import services


@task()
def send_plan_reminders() -> int:
    return services.send_reminders().emails
