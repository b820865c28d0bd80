"""The dependency audit: real pip-audit over our real lock file, answered by the loopback OSV service from a dump."""

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

from depaudit.osv import AdvisoryIndex, affects

ROOT = Path(__file__).resolve().parent.parent
LOCKED_DJANGO = re.findall(r"^django==(\S+)", (ROOT / "requirements/base.txt").read_text(), re.MULTILINE)[0]


def advisory(id_, events=None, versions=(), name="Django", **extra):
    affected = {"package": {"name": name, "ecosystem": "PyPI"}, "versions": list(versions)}
    if events:
        affected["ranges"] = [{"type": "ECOSYSTEM", "events": events}]
    return {"schema_version": "1.6.0", "id": id_, "summary": f"Made-up flaw {id_}", "affected": [affected], **extra}


def dump(tmp_path, *records):
    path = tmp_path / "all.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for record in records:
            archive.writestr(f"{record['id']}.json", json.dumps(record))
    return path


def audit(*args):
    command = [sys.executable, "-m", "depaudit", "--source", "", *map(str, args), ROOT / "requirements/base.txt"]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)


@pytest.mark.parametrize(
    ("events", "version", "expected"),
    [
        ([{"introduced": "0"}, {"fixed": "4.2.1"}], "4.2", True),
        ([{"introduced": "0"}, {"fixed": "4.2.1"}], "4.2.1", False),
        ([{"introduced": "5.0"}, {"fixed": "5.0.3"}, {"introduced": "5.1"}, {"fixed": "5.1.2"}], "5.0.9", False),
        ([{"introduced": "5.0"}, {"fixed": "5.0.3"}, {"introduced": "5.1"}, {"fixed": "5.1.2"}], "5.1.1", True),
        ([{"fixed": "5.1.2"}, {"introduced": "5.1"}], "5.1.1", True),  # events in any order
        ([{"introduced": "1.0"}, {"last_affected": "1.4"}], "1.4", True),
        ([{"introduced": "1.0"}, {"last_affected": "1.4"}], "1.4.1", False),
        ([{"introduced": "1.0"}], "0.9", False),
    ],
)
def test_a_range_covers_exactly_the_versions_osv_says(events, version, expected):
    entry = {"ranges": [{"type": "ECOSYSTEM", "events": events}]}
    assert affects(entry, Version(version)) is expected


def test_the_index_finds_by_canonical_name_and_listed_version():
    records = [advisory("A", versions=["1.0", "1.1"], name="Zope.Interface"), advisory("B", versions=["2"])]
    index = AdvisoryIndex(records)
    assert [v["id"] for v in index.query("zope-interface", "1.1")] == ["A"]
    assert index.query("zope-interface", "1.2") == []
    assert index.query("django", "not a version") == []


def test_a_flaw_in_a_locked_version_fails_the_audit_and_names_it(tmp_path):
    flaw = advisory("TEST-2026-1", [{"introduced": "0"}, {"fixed": "99.0"}], aliases=["CVE-0000-1"])
    result = audit("--dump", dump(tmp_path, flaw))
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(rf"django\s+{re.escape(LOCKED_DJANGO)}\s+(TEST-2026-1|CVE-0000-1)\s+99\.0", result.stdout)


def test_flaws_only_in_other_versions_or_withdrawn_pass_the_audit(tmp_path):
    fixed_before = advisory("TEST-2026-2", [{"introduced": "0"}, {"fixed": "4.0"}])
    withdrawn = advisory("TEST-2026-3", versions=[LOCKED_DJANGO], withdrawn="2026-01-01T00:00:00Z")
    result = audit("--dump", dump(tmp_path, fixed_before, withdrawn))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 advisories" in result.stdout
    assert "No known vulnerabilities found" in result.stdout + result.stderr


def test_a_folder_of_records_works_as_the_database(tmp_path):
    (tmp_path / "PYSEC").mkdir()
    (tmp_path / "PYSEC" / "x.json").write_text(json.dumps(advisory("TEST-2026-4", versions=[LOCKED_DJANGO])))
    result = audit("--dump", tmp_path)
    assert result.returncode == 1
    assert "TEST-2026-4" in result.stdout


def test_without_any_database_the_audit_is_skipped_saying_why(tmp_path):
    result = audit("--dump", tmp_path / "missing.zip")
    assert result.returncode == 0
    assert "Dependency audit SKIPPED: no advisory database could be had" in result.stdout
    assert "AUDIT_OSV_DUMP" in result.stdout


def test_a_missing_copy_is_fetched_from_the_source_and_a_failed_fetch_leaves_nothing(tmp_path):
    published = dump(tmp_path, advisory("TEST-2026-5", versions=[LOCKED_DJANGO]))
    cache = tmp_path / "cache" / "osv.zip"
    command = [sys.executable, "-m", "depaudit", "--dump", str(cache), ROOT / "requirements/base.txt"]
    fetched = subprocess.run(
        [*map(str, command), "--source", published.as_uri()], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert fetched.returncode == 1
    assert "downloaded from file://" in fetched.stdout
    assert "TEST-2026-5" in fetched.stdout
    cache.unlink()
    failed = subprocess.run(
        [*map(str, command), "--source", (tmp_path / "gone.zip").as_uri()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert "SKIPPED" in failed.stdout
    assert list(cache.parent.iterdir()) == []  # no half-downloaded file left behind
