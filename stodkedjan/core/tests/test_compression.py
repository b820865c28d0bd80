"""Pages are sent gzip-compressed to a browser that asks for it, as Django would send them, only cheaper."""

from __future__ import annotations

import gzip
from typing import Any

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.test import RequestFactory

from stodkedjan.core.middleware import GZipMiddleware

PAGE = ("<p>Föräldrastöd i Rinkeby – الدعم للوالدين</p>\n" * 400).encode()


def send(page: HttpResponseBase, accept: str = "gzip, deflate, br") -> Any:
    request = RequestFactory().get("/sv/", headers={"accept-encoding": accept})
    return GZipMiddleware(lambda request: page)(request)


def test_a_page_is_compressed_to_the_same_bytes_and_says_so():
    page = HttpResponse(PAGE, headers={"ETag": '"v1"'})
    sent = send(page)

    assert gzip.decompress(sent.content) == PAGE
    assert sent["Content-Encoding"] == "gzip"
    assert int(sent["Content-Length"]) == len(sent.content) < len(PAGE) / 10
    assert sent["Vary"] == "Accept-Encoding"
    assert sent["ETag"] == 'W/"v1"'  # other bytes than the ETag named


def test_a_browser_that_does_not_ask_for_gzip_gets_the_page_as_it_is():
    sent = send(HttpResponse(PAGE), accept="identity")

    assert sent.content == PAGE
    assert not sent.has_header("Content-Encoding")
    assert sent["Vary"] == "Accept-Encoding"


def test_the_compressed_length_varies_so_that_it_tells_nothing_about_a_secret_in_the_page():
    lengths = {len(send(HttpResponse(PAGE)).content) for _ in range(20)}

    assert len(lengths) > 1  # all twenty alike by chance: about one in 10^38


def test_short_and_streamed_responses_are_left_to_django():
    short = send(HttpResponse(b"ok"))
    streamed = send(StreamingHttpResponse(iter([PAGE[:5000], PAGE[5000:]])))

    assert short.content == b"ok"
    assert not short.has_header("Content-Encoding")
    assert gzip.decompress(b"".join(streamed.streaming_content)) == PAGE
