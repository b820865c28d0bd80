"""fetch_kolada against a Kolada stand-in on loopback serving saved answers: the addresses it builds, every page
followed by next_url, and the files it writes imported whole (no network in tests)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stodkedjan.plans import kolada_fetch
from stodkedjan.plans.models import IndicatorValue

FILES = Path(__file__).parent / "kolada"


class Kolada:
    """Answers saved pages by path and query; ``asked`` records every address asked for."""

    def __init__(self) -> None:
        self.pages: dict[str, Any] = {}
        self.asked: list[str] = []
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}/v3"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        kolada = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                kolada.asked.append(self.path)
                page = kolada.pages.get(self.path)
                body = json.dumps(page).encode() if page is not None else b'{"error": "not found"}'
                self.send_response(200 if page is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def kolada() -> Iterator[Kolada]:
    stand_in = Kolada()
    thread = threading.Thread(target=stand_in.server.serve_forever, daemon=True)
    thread.start()
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


def test_the_addresses_are_kolada_v3_with_region_and_country_ids() -> None:
    kpi, data = kolada_fetch.addresses(["N15033", "N15419"], ["0127", "01", "SE"], [2023, 2024])
    assert kpi == "https://api.kolada.se/v3/kpi/N15033,N15419?per_page=5000"
    assert data == (
        "https://api.kolada.se/v3/data/kpi/N15033,N15419/municipality/0127,0001,0000/year/2023,2024?per_page=5000"
    )


def test_every_page_is_fetched_and_the_folder_imports_whole(world, kolada, tmp_path):
    data_path = "/v3/data/kpi/N15033/municipality/0127,0001,0000/year/2023,2024"
    first, second = (json.loads((FILES / f"v3_data_page{n}.json").read_text()) for n in (1, 2))
    first["next_url"] = f"http://127.0.0.1:{kolada.server.server_port}{data_path}?page=2&per_page=5000"
    second["previous_url"] = f"http://127.0.0.1:{kolada.server.server_port}{data_path}?page=1&per_page=5000"
    kpi = json.loads((FILES / "v2_kpi_page1.json").read_text())["values"]
    kolada.pages = {
        "/v3/kpi/N15033?per_page=5000": {"count": 1, "next_url": None, "previous_url": None, "values": kpi},
        f"{data_path}?per_page=5000": first,
        f"{data_path}?page=2&per_page=5000": second,
    }
    (tmp_path / "data-p3.json").write_text("{}")  # left by an earlier fetch: removed, not joined
    out = io.StringIO()
    call_command(
        "fetch_kolada", "N15033", "--areas", "0127", "01", "SE", "--years", "2023", "2024",
        "--out", str(tmp_path), "--base-url", kolada.base, stdout=out,
    )  # fmt: skip
    assert "3 pages written" in out.getvalue()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data-p1.json", "data-p2.json", "kpi-p1.json"]
    assert len(kolada.asked) == 3
    call_command("import_indicators", "--kolada", str(tmp_path), stdout=io.StringIO())
    assert IndicatorValue.objects.count() == 7


def test_a_page_kolada_does_not_have_stops_the_fetch_with_the_address(kolada, tmp_path):
    with pytest.raises(CommandError, match="404"):
        call_command("fetch_kolada", "N99999", "--out", str(tmp_path), "--base-url", kolada.base)


def test_a_next_url_that_loops_is_refused(kolada, tmp_path):
    address = "/v3/kpi/N15033?per_page=5000"
    loop = f"http://127.0.0.1:{kolada.server.server_port}{address}"
    kolada.pages = {address: {"values": [], "next_url": loop}}
    with pytest.raises(kolada_fetch.FetchFailed, match="points back"):
        kolada_fetch.fetch(loop, tmp_path, "kpi")
