"""``make bench``: the judged query set (``stodkedjan/finder/judged_queries.csv``) on the demo data — the share
of a parent's searches, in six languages, that have an expected offering among the first five, and the misses.
Goal: at least 90 %. Figures, never a pass or fail (``stodkedjan/finder/tests/test_judged.py`` holds the bar)."""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from stodkedjan.demo.services import load_demo  # noqa: E402
from stodkedjan.finder import judged  # noqa: E402

GOAL = 0.9


def main() -> None:
    call_command("migrate", verbosity=0)
    load_demo()
    results = judged.judge()
    print(f"\njudged query set: {len(results)} searches on the demo data, first {judged.TOP} answers")
    for language in sorted({r.language for r in results}):
        mine = [r for r in results if r.language == language]
        print(f"{language:<4}{sum(r.hit for r in mine):>3} of {len(mine):<3}")
    print(f"share with an expected offering in the top {judged.TOP}: {judged.share(results):.1%} (goal {GOAL:.0%})")
    for r in results:
        if not r.hit:
            print(f"  miss: {r.language} {r.query!r} ({r.why}) → {[s.name_sv for s in r.found][:3]}")


if __name__ == "__main__":
    main()
