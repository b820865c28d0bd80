"""Bar charts drawn on the server as SVG, for any app's figures (the numbers always also in a table).

Hidden figures (small-cell suppression) are drawn as an empty dashed outline with their text ("fewer than
5"), never as a zero-length bar, so a chart cannot be read as saying "nobody".
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from stodkedjan.core.suppression import Figure

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 110
BAR_HEIGHT = 22
GAP = 10
COLOUR = "#1d4f91"


LINE_CHARACTERS = 27  # what fits in LABEL_WIDTH at 13 px, wide letters counted
LINE_HEIGHT = 14


def _truncate(text: str, length: int = LINE_CHARACTERS) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def label_lines(text: str, width: int = LINE_CHARACTERS) -> list[str]:
    """A label on at most two lines of ``width`` characters, broken between words; what does not fit ends in
    "…" (the full text is in the label's <title> and in the table beside every chart)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if len(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) <= 2:
        return [_truncate(part, width) for part in lines]
    return [_truncate(lines[0], width), _truncate(" ".join(lines[1:]), width)]


def _label(text: str, x: float, middle: float) -> str:
    lines = label_lines(text)
    first = middle + 5 - (len(lines) - 1) * LINE_HEIGHT / 2
    spans = "".join(
        f'<tspan x="{x}" y="{first + i * LINE_HEIGHT:.1f}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    whole = f"<title>{escape(text)}</title>" if " ".join(lines) != text else ""
    return f'<text text-anchor="end" fill="#111">{whole}{spans}</text>'


def bar_chart(bars: list[tuple[str, Figure]], title: str, description: str, chart_id: str) -> SafeString:
    """Horizontal bars, one per (label, figure), scaled to the largest shown figure."""
    row = BAR_HEIGHT + GAP + (LINE_HEIGHT if any(len(label_lines(label)) > 1 for label, _f in bars) else 0)
    height = GAP + len(bars) * row
    largest = max((f.value for _l, f in bars if f.value is not None), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="DejaVu Sans, sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, (label, figure) in enumerate(bars):
        y = GAP + index * row
        text_y = y + BAR_HEIGHT / 2 + 5
        parts.append(_label(label, LABEL_WIDTH - 8, y + BAR_HEIGHT / 2))
        if figure.value is None:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{plot / 4:.1f}" height="{BAR_HEIGHT}" fill="none" '
                f'stroke="#555" stroke-dasharray="4 3"/>'
            )
            value_x = LABEL_WIDTH + plot / 4 + 6
        else:
            width = plot * figure.value / largest
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{COLOUR}"/>')
            value_x = LABEL_WIDTH + width + 6
        parts.append(f'<text x="{value_x:.1f}" y="{text_y}" fill="#111">{escape(str(figure))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
