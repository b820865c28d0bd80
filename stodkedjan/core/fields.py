from typing import Any

from django import forms
from django.db import models


class HttpsURLField(models.URLField):
    """A URL field whose form field assumes https:// when the scheme is left out (Django 6's default)."""

    def formfield(  # type: ignore[override]
        self, form_class: type[forms.Field] | None = None, **kwargs: Any
    ) -> forms.Field | None:
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(form_class=form_class or forms.URLField, **kwargs)
