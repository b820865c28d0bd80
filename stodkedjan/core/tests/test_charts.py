"""Chart labels are never clipped: long ones wrap onto two lines and shorten with their full text kept."""

from __future__ import annotations

import re

from stodkedjan.core.charts import LINE_CHARACTERS, bar_chart, label_lines
from stodkedjan.core.suppression import Figure


def test_long_labels_wrap_between_words_and_keep_their_full_text() -> None:
    long = "kompetens, utbildning och metodstöd för personal i förskola och skola"
    assert label_lines("Botkyrka") == ["Botkyrka"]
    lines = label_lines(long)
    assert len(lines) == 2
    assert all(len(line) <= LINE_CHARACTERS for line in lines)
    assert lines[0] == "kompetens, utbildning och"
    assert lines[1].endswith("…")
    svg = bar_chart([(long, Figure(3)), ("samverkan", Figure(1))], "Öppna behov", "", "needs")
    assert f"<title>{long}</title>" in svg
    assert re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg) == [*lines, "samverkan"]
    height = int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    short = bar_chart([("a", Figure(3)), ("b", Figure(1))], "t", "", "x")
    assert height > int(re.search(r'viewBox="0 0 \d+ (\d+)"', short).group(1)), "two-line rows are taller"
