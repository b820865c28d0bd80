"""Translated fields (django-modeltranslation). Swedish is required; the other languages fall back to it."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from stodkedjan.directory.models import Location, Service


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("sv",)


@register(Location)
class LocationTranslation(TranslationOptions):
    fields = ("transportation",)


# History is registered here rather than on the models, so that the historical tables get the translated
# columns (name_sv, name_ar, …) that modeltranslation has just added: every language's text is versioned.
register_history(Service, m2m_fields=["terms"], excluded_fields=["updated_at"])
register_history(Location)
