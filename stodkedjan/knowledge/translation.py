"""Translated fields of the knowledge bank. Swedish is required; the other languages fall back to it."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from stodkedjan.knowledge.models import Method, Resource


@register(Method)
class MethodTranslation(TranslationOptions):
    fields = ("summary", "description", "target_group", "length")
    required_languages = ("sv",)


@register(Resource)
class ResourceTranslation(TranslationOptions):
    fields = ("title", "summary")
    required_languages = ("sv",)


# After modeltranslation has added its columns, so every language's text is versioned.
register_history(Method, excluded_fields=["updated_at"])
