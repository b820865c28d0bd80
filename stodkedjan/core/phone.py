"""Phone numbers as people write them (08-123 456 78) and as links want them (tel:+46812345678)."""


def tel_uri(number: str) -> str:
    """A ``tel:`` link for a Swedish or international number; short numbers (112, 114 14) stay as they are."""
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    if digits.startswith("0") and len(digits) > 6:
        digits = "+46" + digits[1:]
    return f"tel:{digits}"
