from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[Any, Any], key: Any) -> Any:
    """``mapping|get:key`` – a dictionary entry by a variable key."""
    return mapping.get(key) if isinstance(mapping, dict) else None
