"""Prepare the load-test database: the demo data and an open one-page survey round. Prints the round's link
key and a few offering ids for the locust file to use."""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stodkedjan.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from stodkedjan.accounts.models import Organisation  # noqa: E402
from stodkedjan.directory.models import Service  # noqa: E402
from stodkedjan.finder.queries import AREA_KINDS, public_services  # noqa: E402
from stodkedjan.geo.models import Area  # noqa: E402
from stodkedjan.surveys import services  # noqa: E402
from stodkedjan.surveys.models import SurveyRound  # noqa: E402

DEFINITION = {
    "languages": ["sv"],
    "title": {"sv": "Lasttest"},
    "intro": {"sv": "En fråga."},
    "questions": [
        {
            "name": "support",
            "kind": "select_one",
            "label": {"sv": "Får du stöd?"},
            "required": True,
            "choices": [{"name": "yes", "label": {"sv": "Ja"}}, {"name": "no", "label": {"sv": "Nej"}}],
        }
    ],
}


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", quiet_logins=True, verbosity=0)
    if connection.vendor == "postgresql":
        # load_demo indexes every offering again: without this, each run's search terms leave the last run's as
        # dead rows (140,000 after a dozen runs), and every run would search a more bloated index than the last.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    organisation = Organisation.objects.get(slug="botkyrka")
    survey_round = SurveyRound.objects.filter(organisation=organisation, title="Lasttest").first()
    if survey_round is None:
        questionnaire = services.create_questionnaire(organisation, "Lasttest", DEFINITION)
        today = timezone.localdate()
        survey_round = services.create_round(
            questionnaire,
            {
                "title": "Lasttest",
                "opens_on": today - timedelta(days=1),
                "closes_on": today + timedelta(days=30),
                "languages": ["sv"],
                "min_cell_size": 5,
                "self_completion": True,
                "interviews": False,
                "layout": "single",
                "areas": [Area.objects.get(code="0127")],
            },
        )
    # Offerings a parent reaches from a search: not the ones merged into another or kept back as a likely duplicate,
    # whose pages send her on to the one she should see (a redirect, two requests timed as one).
    services_ = list(public_services().values_list("uuid", flat=True))
    # Areas a parent can choose in the search form (municipalities, districts, vulnerable areas), not counties.
    served = Service.objects.filter(status="active", areas_served__kind__in=AREA_KINDS)
    areas = sorted(set(served.values_list("areas_served__code", flat=True)))
    setup = {
        "link_key": survey_round.link_key,
        "round_id": survey_round.pk,
        "responses_before": survey_round.responses.count(),
        "services": [str(u) for u in services_],
        "areas": areas[:20],
    }
    print(json.dumps(setup))


if __name__ == "__main__":
    main()
    sys.exit(0)
