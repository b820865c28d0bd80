#!/usr/bin/env python
"""Django's command-line utility for Stödkedjan."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
    from django.core.management import execute_from_command_line

    from stodkedjan.env import EnvError

    try:
        execute_from_command_line(sys.argv)
    except EnvError as error:
        sys.exit(f"stodkedjan: configuration error: {error}")


if __name__ == "__main__":
    main()
