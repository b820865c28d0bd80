"""Backup and restore: a snapshot restores into an empty database with every row and file the same."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from stodkedjan.core import backup
from stodkedjan.core.models import AuditEvent, AuditKind
from stodkedjan.directory.models import Service
from stodkedjan.directory.tests.factories import make_service
from stodkedjan.knowledge.models import Resource
from stodkedjan.surveys.tests.factories import add_responses, make_round

pytestmark = pytest.mark.django_db(transaction=True)


def fill(world) -> None:
    make_service(world.home, name="Föräldragrupp i Alby", languages=("sv", "so"))
    add_responses(make_round(world.home), 6)
    Resource.objects.create(
        organisation=world.home, title_sv="Rapport", summary_sv="Text", file=ContentFile(b"%PDF-1.4 rapport", "r.pdf")
    )
    AuditEvent.objects.create(kind=AuditKind.EXPORT, summary="lista.csv")


def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_files(world, tmp_path, settings):
    fill(world)
    before = backup.counts()
    uploaded = Resource.objects.get().file.name
    archive = tmp_path / "stodkedjan.tar.gz"
    call_command("backup", str(archive))
    call_command("flush", interactive=False, verbosity=0)
    (Path(settings.MEDIA_ROOT) / uploaded).unlink()
    assert Service.objects.count() == 0
    call_command("restore", str(archive))
    assert backup.counts() == before
    service = Service.objects.get()
    assert service.name_sv == "Föräldragrupp i Alby"
    assert sorted(service.terms.values_list("code", flat=True)) == ["family_centre", "group", "so", "sv"]
    assert (Path(settings.MEDIA_ROOT) / uploaded).read_bytes() == b"%PDF-1.4 rapport"
    assert AuditEvent.objects.get().summary == "lista.csv"
    make_service(world.home.__class__.objects.get(slug=world.home.slug))  # ids continue after the restored ones


def test_restore_refuses_a_database_with_data_and_a_file_that_is_not_a_backup(world, tmp_path):
    fill(world)
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("restore", str(archive))
    not_a_backup = tmp_path / "x.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as tar:
        tar.add(__file__, arcname="something.py")
    with pytest.raises(CommandError, match=r"manifest\.json is missing"):
        call_command("restore", str(not_a_backup), force=True)
    (tmp_path / "broken.tar.gz").write_bytes(b"not gzip")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("restore", str(tmp_path / "broken.tar.gz"))
    assert Service.objects.count() == 1  # nothing was lost


def test_restore_with_force_replaces_what_is_there(world, tmp_path):
    fill(world)
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive))
    make_service(world.home, name="Tillkommen efter backupen")
    call_command("restore", str(archive), force=True)
    assert list(Service.objects.values_list("name_sv", flat=True)) == ["Föräldragrupp i Alby"]
