"""Methods and resources for tests, through the app's own services."""

from __future__ import annotations

import itertools
from typing import Any

from stodkedjan.accounts.models import Organisation
from stodkedjan.knowledge import services
from stodkedjan.knowledge.models import Method

_numbers = itertools.count(1)


def make_method(organisation: Organisation, name: str | None = None, **fields: Any) -> Method:
    number = next(_numbers)
    values = {
        "slug": f"metod-{number}",
        "name": name or f"Metod {number}",
        "summary_sv": "Gruppträffar för föräldrar.",
        "description_sv": "Föräldrar träffas i grupp.",
        "target_group_sv": "Alla föräldrar.",
        "is_published": True,
        **fields,
    }
    return services.save_method(organisation, values)
