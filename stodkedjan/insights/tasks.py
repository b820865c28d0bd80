"""Background work (django-tasks), enqueued monthly by ``manage.py take_coverage_snapshot``."""

from django_tasks import task

from stodkedjan.insights import services


@task()
def take_coverage_snapshot() -> int:
    return services.take_snapshots()
