"""Retries for background tasks. django-tasks runs a task once; a daily task that meets a database that is
restarting or locked, or a mail server that does not answer, is tried again here after a pause (growing
each time), ``TASK_ATTEMPTS`` times in all, before it fails for the worker to record. Every task is
idempotent (what it has done is marked in the same transaction as doing it), so a retry finishes the work
without doing any part twice."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection

logger = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
# OSError covers the mail server (smtplib's errors are OSErrors) and the network.
TRANSIENT = (DatabaseError, OSError)


def retried(work: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(work)
    def attempt(*args: P.args, **kwargs: P.kwargs) -> R:
        attempts = settings.TASK_ATTEMPTS
        for number in range(1, attempts):
            try:
                return work(*args, **kwargs)
            except TRANSIENT as error:
                pause = settings.TASK_RETRY_SECONDS * 4 ** (number - 1)
                logger.warning(
                    "Task %s failed (attempt %s of %s: %s); trying again in %.1f s",
                    work.__name__,
                    number,
                    attempts,
                    error,
                    pause,
                )
                time.sleep(pause)
                if not connection.in_atomic_block:
                    close_old_connections()  # a connection the database dropped is opened afresh
        return work(*args, **kwargs)  # the last attempt: its failure is the task's

    return attempt
