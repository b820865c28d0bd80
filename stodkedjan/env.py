"""Reading settings from environment variables, with errors that name the variable.

A malformed value must stop the process with one line that says which variable is wrong and why,
never a traceback: ``manage.py`` and ``wsgi.py`` catch :class:`EnvError` and print it.
"""

from __future__ import annotations

import os

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


class EnvError(Exception):
    """A missing or malformed environment variable. The message names the variable."""


def get_str(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        if required:
            raise EnvError(f"{name} must be set")
        return default if default is not None else ""
    return value.strip()


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise EnvError(f"{name} must be true or false, got {raw!r}")


def get_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise EnvError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise EnvError(f"{name} must be at least {minimum}, got {value}")
    return value


def get_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    raw = get_str(name, required=required)
    if not raw:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = get_str(name, default).lower()
    if value not in choices:
        raise EnvError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value
