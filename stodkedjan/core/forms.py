"""Helpers shared by forms of several apps."""

from __future__ import annotations

from typing import Any

from django import forms


def valid_values(form: forms.Form) -> dict[str, Any]:
    """The cleaned value of each field that validated. A search or a filter drops what it does not understand
    (a stale link, a hand-edited address) rather than refusing the whole request."""
    form.is_valid()
    return {name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors}
