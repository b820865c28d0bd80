"""Helpers shared by forms of several apps."""

from __future__ import annotations

from typing import Any

from django import forms


def valid_values(form: forms.Form) -> dict[str, Any]:
    """The cleaned value of each field that validated. A search or a filter drops what it does not understand
    (a stale link, a hand-edited address) rather than refusing the whole request."""
    form.is_valid()
    return {name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors}


class ErrorsDescribed(forms.BaseForm):
    """After validation, each field with an error points at its message (and its hint) by
    ``aria-describedby``, with the ids the templates give them (``<auto_id>_error``, ``<auto_id>_helptext``),
    so a screen reader reads why the answer was refused."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                auto_id = self[name].auto_id
                described = [f"{auto_id}_error"] + ([f"{auto_id}_helptext"] if self.fields[name].help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)
