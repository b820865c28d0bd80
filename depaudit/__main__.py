"""`make audit`: pip-audit over every lock file, against a cached copy of OSV's PyPI advisory database.

The copy is refreshed from AUDIT_OSV_SOURCE when it is older than AUDIT_MAX_AGE_HOURS and the source answers;
otherwise the last copy is used, and its age printed. Only when there is no copy at all is the audit skipped, with
a message saying so and how to provide one (a closed network, as on a build machine without internet).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from .osv import AdvisoryIndex, LocalOsv

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "stodkedjan" / "osv-pypi-all.zip"


def refresh(dump: Path, source: str, max_age_hours: float) -> str:
    """Fetch a fresh copy when the cached one is missing or old; say what happened."""
    if dump.exists() and time.time() - dump.stat().st_mtime < max_age_hours * 3600:
        return "cached copy is fresh"
    if not source:
        return "no source to refresh from"
    dump.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=dump.parent, suffix=".part")
    partial = Path(name)
    try:
        with (
            os.fdopen(descriptor, "wb") as out,
            urllib.request.urlopen(source, timeout=30) as response,  # noqa: S310 – an https address from settings
        ):
            shutil.copyfileobj(response, out, 1 << 20)
        partial.replace(dump)  # whole or not at all: a broken download never replaces a good copy
        return f"downloaded from {source}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        partial.unlink(missing_ok=True)
        return f"could not download {source} ({getattr(error, 'reason', error)})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m depaudit", description=__doc__)
    parser.add_argument("lock_files", nargs="*", type=Path, help="hashed lock files (default: requirements/*.txt)")
    parser.add_argument("--dump", type=Path, default=Path(os.environ.get("AUDIT_OSV_DUMP", CACHE)))
    parser.add_argument("--source", default=os.environ.get("AUDIT_OSV_SOURCE", SOURCE), help="'' never downloads")
    parser.add_argument("--max-age-hours", type=float, default=float(os.environ.get("AUDIT_MAX_AGE_HOURS", 24)))
    args = parser.parse_args(argv)
    lock_files = args.lock_files or sorted((ROOT / "requirements").glob("*.txt"))

    how = refresh(args.dump, args.source, args.max_age_hours)
    if not args.dump.exists():
        print(
            f"Dependency audit SKIPPED: no advisory database could be had – {how}, and there is no cached copy at "
            f"{args.dump}. To audit offline, put OSV's PyPI export (all.zip, from {SOURCE}) there or set "
            "AUDIT_OSV_DUMP to its path; to audit online, allow the build machine to reach that address."
        )
        return 0
    index = AdvisoryIndex.load(args.dump)
    age_days = (time.time() - args.dump.stat().st_mtime) / 86400
    print(
        f"Dependency audit: {index.count} advisories from {args.dump} ({how}; copy {age_days:.1f} days old), "
        f"{len(lock_files)} lock files"
    )
    with LocalOsv(index) as osv:
        command = [str(Path(sys.executable).with_name("pip-audit")), "--disable-pip", "--progress-spinner", "off"]
        command += ["--vulnerability-service", "osv", "--osv-url", osv.url, "--timeout", "30"]
        for lock_file in lock_files:
            command += ["--requirement", str(lock_file)]
        return subprocess.run(command, check=False).returncode  # noqa: S603 – our own tool with our own arguments


if __name__ == "__main__":
    sys.exit(main())
