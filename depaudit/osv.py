"""An OSV advisory database read from a file, answering pip-audit on loopback as if it were api.osv.dev.

pip-audit asks one question per locked package: POST /v1/query {"package": {"name", "ecosystem"}, "version"}.
OSV publishes its whole PyPI database as one zip of JSON records (PyPI/all.zip); with a copy of it on disk, this
answers the same question offline, so the audit works without reaching any advisory service.
"""

from __future__ import annotations

import json
import threading
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

Advisory = dict[str, Any]


def _records(path: Path) -> Iterator[Advisory]:
    """Every JSON record in a zip (OSV's bulk export) or a folder of them (a checkout of an advisory database)."""
    if path.is_dir():
        for file in sorted(path.rglob("*.json")):
            yield json.loads(file.read_text(encoding="utf-8"))
        return
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".json"):
                yield json.loads(archive.read(name))


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _in_range(version: Version, events: list[dict[str, str]]) -> bool:
    """OSV's rule for an ECOSYSTEM range: walk the events in version order; the last one at or below wins."""
    points: list[tuple[Version, str]] = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event:
                at = Version("0") if event[kind] == "0" else _version(event[kind])
                if at is not None:
                    points.append((at, kind))
    affected = False
    for at, kind in sorted(points, key=lambda point: point[0]):
        if kind == "introduced" and version >= at:
            affected = True
        elif (kind == "fixed" and version >= at) or (kind == "last_affected" and version > at):
            affected = False
    return affected


def affects(affected: dict[str, Any], version: Version) -> bool:
    """Whether one `affected` entry of an advisory covers this version (listed outright, or inside a range)."""
    if any(_version(listed) == version for listed in affected.get("versions", [])):
        return True
    return any(
        _in_range(version, range_["events"]) for range_ in affected.get("ranges", []) if range_["type"] == "ECOSYSTEM"
    )


class AdvisoryIndex:
    """The advisories of a dump, found by package name."""

    def __init__(self, records: Iterator[Advisory] | list[Advisory]) -> None:
        self.by_package: dict[str, list[tuple[Advisory, dict[str, Any]]]] = defaultdict(list)
        self.count = 0
        for record in records:
            self.count += 1
            for affected in record.get("affected", []):
                package = affected.get("package", {})
                if package.get("ecosystem") == "PyPI" and package.get("name"):
                    # pip-audit reads fix versions only where the name is spelled as it spells it (canonical)
                    package["name"] = canonicalize_name(package["name"])
                    self.by_package[package["name"]].append((record, affected))

    @classmethod
    def load(cls, path: Path) -> AdvisoryIndex:
        return cls(_records(path))

    def query(self, name: str, version_text: str) -> list[Advisory]:
        version = _version(version_text)
        if version is None:
            return []
        found: dict[str, Advisory] = {}
        for record, affected in self.by_package.get(canonicalize_name(name), []):
            if affects(affected, version):
                found[record["id"]] = record
        return list(found.values())


class _QueryHandler(BaseHTTPRequestHandler):
    index: AdvisoryIndex

    def do_POST(self) -> None:
        if self.path != "/v1/query":
            self.send_error(404)
            return
        try:
            query = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            vulns = self.index.query(query["package"]["name"], query["version"])
        except (ValueError, KeyError, TypeError):
            self.send_error(400, "expected {package: {name, ecosystem}, version}")
            return
        body = json.dumps({"vulns": vulns} if vulns else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalOsv:
    """A loopback OSV query service over an index, for the length of a `with` block."""

    def __init__(self, index: AdvisoryIndex) -> None:
        handler = type("Handler", (_QueryHandler,), {"index": index})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/query"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalOsv:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
