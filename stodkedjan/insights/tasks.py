"""Background work (django-tasks), enqueued monthly by ``manage.py take_coverage_snapshot``."""

from django_tasks import task

from stodkedjan.core.tasks import retried
from stodkedjan.insights import services


@task()
@retried
def take_coverage_snapshot() -> int:
    return services.take_snapshots()
