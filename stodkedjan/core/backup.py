"""Backups: one file with a consistent snapshot of the database and every uploaded file, and its restore.

The snapshot is Django's own serialisation (``dumpdata``) taken inside one transaction — REPEATABLE READ on
PostgreSQL, a locked transaction on SQLite — so no row written meanwhile is half in it; it restores into
either database. The archive (``.tar.gz``) holds ``data.json``, the ``media/`` files and ``manifest.json``
with the row count of every model and a SHA-256 of every file, which ``restore`` checks before it reports
success. Restoring needs an empty, migrated database (or ``--force`` to replace what is there).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

EXCLUDED = ["contenttypes", "auth.permission", "sessions", "django_tasks_database"]
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


@dataclass
class Manifest:
    created: str
    database: str
    counts: dict[str, int]
    files: dict[str, str]
    version: int = FORMAT_VERSION


def _models() -> list[Any]:
    """The models in a backup: all but those ``EXCLUDED`` (by app label or by model label)."""
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in EXCLUDED and m._meta.label_lower not in EXCLUDED and m._meta.managed
    ]


def counts() -> dict[str, int]:
    """Rows per model, as the manifest records them."""
    return {m._meta.label_lower: m._base_manager.count() for m in _models()}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def backup(target: Path) -> Manifest:
    """Write the archive; returns its manifest."""
    root = Path(settings.MEDIA_ROOT)
    data = io.StringIO()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command("dumpdata", exclude=EXCLUDED, natural_foreign=True, stdout=data, verbosity=0)
        rows = counts()
        files = {str(p.relative_to(root)): _sha256(p) for p in _media_files()}
    manifest = Manifest(timezone.now().isoformat(), connection.vendor, rows, files)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(target, "w:gz") as archive:
        _add_bytes(archive, "data.json", data.getvalue().encode("utf-8"))
        for name in files:
            archive.add(root / name, arcname=f"media/{name}")
        _add_bytes(archive, "manifest.json", json.dumps(manifest.__dict__, indent=1).encode("utf-8"))
    return manifest


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


def _read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        raw = archive.extractfile("manifest.json")
    except KeyError:
        raise BackupError("not a Stödkedjan backup: manifest.json is missing") from None
    if raw is None:
        raise BackupError("not a Stödkedjan backup: manifest.json is missing")
    values = json.loads(raw.read())
    if values.get("version") != FORMAT_VERSION:
        raise BackupError(f"backup format {values.get('version')} is not {FORMAT_VERSION}")
    return Manifest(**values)


def restore(source: Path, force: bool = False) -> Manifest:
    """Restore the archive into this (migrated) database and MEDIA_ROOT, then check every count and file."""
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with below; opened here for a clear error
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"cannot read {source}: {error}") from None
    with archive, tempfile.TemporaryDirectory() as scratch:
        manifest = _read_manifest(archive)
        occupied = {label: n for label, n in counts().items() if n}
        if occupied and not force:
            raise BackupError(f"the database is not empty ({', '.join(sorted(occupied))}); use --force to replace it")
        archive.extractall(scratch, filter="data")  # tar's "data" filter: no paths outside, no devices
        data = Path(scratch) / "data.json"
        # The history tables are restored as they were: loading must not add history of its own.
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            if occupied:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(data), verbosity=0)
            _reset_sequences()
        media_root = Path(settings.MEDIA_ROOT)
        for name in manifest.files:
            target = media_root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(scratch) / "media" / name, target)
    _verify(manifest)
    return manifest


def _reset_sequences() -> None:
    """After loading rows with their ids, PostgreSQL's id sequences must continue after the highest."""
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _verify(manifest: Manifest) -> None:
    now = counts()
    wrong = {label: (n, now.get(label)) for label, n in manifest.counts.items() if now.get(label) != n}
    if wrong:
        raise BackupError(f"restored row counts differ from the backup: {wrong}")
    root = Path(settings.MEDIA_ROOT)
    for name, digest in manifest.files.items():
        if not (root / name).exists() or _sha256(root / name) != digest:
            raise BackupError(f"restored file differs from the backup: {name}")
