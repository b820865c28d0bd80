"""Two things every answer of the HSDS API gets, whatever view made it.

``Access-Control-Allow-Origin: *``, as Open Referral UK's compliance rules ask.

django-cors-headers sends it only to a request that carries ``Origin`` (a browser's); validators, proxies and
caches look for it on every response, errors and rate-limit answers included. Nothing of a signed-in person
is shared by it: the API reads no cookies, and a token travels in a header the caller sets itself.

HEAD, answered as GET without the body (django-ninja routes GET only): link checkers and validators ask
HEAD first. It is a read like any other, so the rate limit counts it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase

API_PREFIX = "/api/hsds/"


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self.get_response(request)
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
        if head and isinstance(response, HttpResponse):
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
