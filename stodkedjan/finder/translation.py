from modeltranslation.translator import TranslationOptions, register

from stodkedjan.finder.models import InformationPage


@register(InformationPage)
class InformationPageTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("sv",)
