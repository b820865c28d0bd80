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


def _truncate(text: str, length: int = 34) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def bar_chart(bars: list[tuple[str, Figure]], title: str, description: str, chart_id: str) -> SafeString:
    """Horizontal bars, one per (label, figure), scaled to the largest shown figure."""
    height = GAP + len(bars) * (BAR_HEIGHT + GAP)
    largest = max((f.value for _l, f in bars if f.value is not None), default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="DejaVu Sans, sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, (label, figure) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT / 2 + 5
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" fill="#111">{escape(_truncate(label))}</text>'
        )
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
