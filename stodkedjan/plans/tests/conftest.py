from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Plan pages are tested in English (/en/…), so the tests read the same as the code's message ids."""
    with translation.override("en"):
        yield
