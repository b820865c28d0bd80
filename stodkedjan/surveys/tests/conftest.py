import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def english_and_a_clean_throttle():
    """Messages in English (the msgids), and no submission counts left over from another test."""
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()
