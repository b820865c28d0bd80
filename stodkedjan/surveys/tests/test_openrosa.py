"""ODK Collect's side of OpenRosa 1.0, driven as Collect drives it: the form list, the form, its manifest, the
HEAD pre-flight and multipart submissions — stored once per instanceID, through the same rules as the web
form, with nothing about the device kept; a revoked access gets nothing."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stodkedjan.accounts.models import Role
from stodkedjan.surveys import openrosa, xlsform
from stodkedjan.surveys.models import AppUser, Response
from stodkedjan.surveys.tests.factories import make_round
from stodkedjan.surveys.tests.test_xlsform import workbook

OPENROSA = {"HTTP_X_OPENROSA_VERSION": "1.0"}
XFORMS = "{http://www.w3.org/2002/xforms}"


@pytest.fixture
def collect(world):
    content = workbook(
        [
            ["select_one yn", "support", "Får du stöd?", "هل تحصل على دعم؟", "yes", "", ""],
            ["text", "why", "Varför inte?", "لماذا لا؟", "", "${support} = 'no'", ""],
            ["geopoint", "where", "Var?", "أين", "", "", ""],
            ["integer", "kids", "Antal barn", "عدد الأطفال", "", "", ""],
        ]
    )
    survey_round = make_round(world.home, definition=xlsform.read(content, "intervju.xlsx"))
    app_user, key = openrosa.create_app_user(survey_round, "Surfplatta 1")
    return survey_round, app_user, f"/openrosa/key/{key}/"


def instance(survey_round, instance_id, area="other", **answers):
    root = ET.Element("data", id=openrosa.form_id(survey_round), version=str(survey_round.version.number))
    ET.SubElement(root, openrosa.AREA).text = area
    for name, value in answers.items():
        ET.SubElement(root, name).text = value
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "instanceID").text = instance_id
    return ET.tostring(root)


def submit(client, base, body):
    upload = SimpleUploadedFile("submission.xml", body, content_type="text/xml")
    return client.post(base + "submission", {"xml_submission_file": upload}, **OPENROSA)


def test_the_form_list_and_the_form_are_what_collect_reads(client, collect):
    survey_round, _app_user, base = collect
    listing = client.get(base + "formList", **OPENROSA)
    assert listing.status_code == 200
    assert listing["X-OpenRosa-Version"] == "1.0"
    assert listing["Content-Type"].startswith("text/xml")
    root = ET.fromstring(listing.content)
    assert root.tag == "{http://openrosa.org/xforms/xformsList}xforms"
    (entry,) = root
    fields = {child.tag.split("}")[1]: child.text for child in entry}
    assert set(fields) == {"formID", "name", "version", "hash", "downloadUrl", "manifestUrl"}
    assert fields["formID"] == f"stodkedjan-{survey_round.pk}"
    assert re.fullmatch(r"md5:[0-9a-f]{32}", fields["hash"])

    form = client.get(fields["downloadUrl"].removeprefix("http://testserver"), **OPENROSA)
    xml = form.content.decode()
    assert form["X-OpenRosa-Version"] == "1.0"
    assert f"md5:{hashlib.md5(form.content, usedforsecurity=False).hexdigest()}" == fields["hash"]
    binds = {b.get("nodeset").rsplit("/", 1)[-1]: b for b in ET.fromstring(form.content).iter(f"{XFORMS}bind")}
    assert "where" not in binds, "a place is never asked, in Collect either"
    assert {"support", "why", "kids", openrosa.AREA, "instanceID"} <= set(binds)
    assert binds[openrosa.AREA].get("required") == "true()"
    assert binds["why"].get("relevant", "").replace(" ", "") == "/data/support='no'"
    assert "هل تحصل على دعم؟" in xml, "every language travels"
    manifest = client.get(fields["manifestUrl"].removeprefix("http://testserver"), **OPENROSA)
    assert ET.fromstring(manifest.content).tag == "{http://openrosa.org/xforms/xformsManifest}manifest"


def test_submissions_are_stored_once_by_instance_id_through_the_forms_rules(client, collect):
    survey_round, _app_user, base = collect
    preflight = client.head(base + "submission", **OPENROSA)
    assert preflight.status_code == 204
    assert int(preflight["X-OpenRosa-Accept-Content-Length"]) > 0

    area = survey_round.areas.order_by("code").first()
    body = instance(survey_round, "uuid:5c6f0d5e-1", area=area.code, support="no", why="Ring 070-123 45 67", kids="2")
    first = submit(client, base, body)
    assert first.status_code == 201
    assert 'nature="submit_success"' in first.content.decode()
    again = submit(client, base, body)  # Collect sends again when it missed the answer
    assert again.status_code == 201
    response = Response.objects.get()
    assert response.mode == "interviewer"
    assert response.area == area
    assert response.submitted_on == timezone.localdate()
    assert response.answers == {"support": "no", "why": response.answers["why"], "kids": 2}
    assert "070" not in response.answers["why"], "free text is scrubbed as on the web form"

    skipped = instance(survey_round, "uuid:5c6f0d5e-2", support="yes", why="Ska inte sparas")
    assert submit(client, base, skipped).status_code == 201
    assert "why" not in Response.objects.exclude(pk=response.pk).get().answers, "a skipped question is dropped"

    missing = instance(survey_round, "uuid:5c6f0d5e-3", kids="1")  # the required question is empty
    refused = submit(client, base, missing)
    assert refused.status_code == 400
    assert "support" in refused.content.decode()
    assert Response.objects.count() == 2


@pytest.mark.parametrize(
    "body",
    [
        b"not xml",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><data>&a;</data>',
        b"<data><support>yes</support></data>",  # no instanceID
    ],
)
def test_a_bad_submission_is_refused_with_a_reason_and_stores_nothing(client, collect, body):
    _survey_round, _app_user, base = collect
    answer = submit(client, base, body)
    assert answer.status_code == 400
    assert "<message>" in answer.content.decode()
    assert not Response.objects.exists()


def test_a_revoked_or_made_up_key_and_a_closed_round_get_nothing(client, collect):
    survey_round, app_user, base = collect
    assert client.get("/openrosa/key/made-up/formList").status_code == 403
    survey_round.closes_on = timezone.localdate() - timezone.timedelta(days=1)
    survey_round.save()
    closed = submit(client, base, instance(survey_round, "uuid:1", support="yes"))
    assert closed.status_code == 409
    AppUser.objects.filter(pk=app_user.pk).update(revoked_at=timezone.now())
    assert client.get(base + "formList").status_code == 403
    assert submit(client, base, instance(survey_round, "uuid:2", support="yes")).status_code == 403
    assert not Response.objects.exists()


def test_staff_create_an_access_once_shown_with_its_qr_code_and_revoke_it(client, world, collect):
    survey_round, _app_user, _base = collect
    client.force_login(world.users[Role.EDITOR])
    page = client.get(f"/sv/staff/surveys/rounds/{survey_round.pk}/collect/").content.decode()
    assert "Surfplatta 1" in page
    created = client.post(f"/sv/staff/surveys/rounds/{survey_round.pk}/collect/", {"name": "Surfplatta 2"})
    html = created.content.decode()
    url = re.search(r'id="server-url" type="text" readonly value="([^"]+)"', html).group(1)
    assert "/openrosa/key/" in url
    assert "<svg" in html
    key_path = url.split("8000", 1)[-1] if "8000" in url else url.split("testserver", 1)[-1]
    assert client.get(key_path + "formList").status_code == 200
    assert url not in client.get(f"/sv/staff/surveys/rounds/{survey_round.pk}/collect/").content.decode()
    new = AppUser.objects.get(name="Surfplatta 2")
    client.post(f"/sv/staff/surveys/rounds/{survey_round.pk}/collect/", {"revoke": str(new.pk)})
    assert client.get(key_path + "formList").status_code == 403
    client.force_login(world.users[Role.VIEWER])
    assert client.get(f"/sv/staff/surveys/rounds/{survey_round.pk}/collect/").status_code == 403


def test_a_list_in_a_csv_file_imports_with_the_form_and_collect_gets_it_in_the_manifest(client, world):
    content = workbook(
        [
            ["select_one_from_file towns.csv", "town", "Kommun", "بلدية", "", "", ""],
            ["text", "why", "Varför?", "لماذا؟", "", "", ""],
        ],
    )
    towns = "name,label::Svenska (sv),label::Arabic (ar),county\nbotkyrka,Botkyrka,بوتشيركا,ab\nmalmo,Malmö,مالمو,m\n"
    without = xlsform.read(content, "lists.xlsx")
    assert without["left_out"][0]["reason"] == xlsform.EXTERNAL, "without its file the question is left out"
    definition = xlsform.read(content, "lists.xlsx", {"towns.csv": towns.encode()})
    question = definition["questions"][0]
    assert [c["name"] for c in question["choices"]] == ["botkyrka", "malmo"]
    assert question["choices"][1]["label"] == {"sv": "Malmö", "ar": "مالمو"}
    assert question["choices"][1]["data"] == {"county": "m"}
    survey_round = make_round(world.home, definition=definition)
    _app_user, key = openrosa.create_app_user(survey_round, "Surfplatta")
    manifest = ET.fromstring(client.get(f"/openrosa/key/{key}/manifest").content)
    (media,) = manifest
    fields = {child.tag.split("}")[1]: child.text for child in media}
    assert fields["filename"] == "towns.csv"
    served = client.get(fields["downloadUrl"].removeprefix("http://testserver"))
    assert served.status_code == 200
    assert fields["hash"] == "md5:" + hashlib.md5(served.content, usedforsecurity=False).hexdigest()
    assert "botkyrka" in served.content.decode()
    assert client.get(f"/openrosa/key/{key}/media/other.csv").status_code == 404


def test_a_submission_with_a_repeat_filled_in_twice_keeps_both(client, world):
    header = ["type", "name", "label::Svenska (sv)", "label::Arabic (ar)", "constraint"]
    content = workbook(
        [
            ["begin_repeat", "child", "Barn", "طفل", ""],
            ["integer", "age", "Ålder", "العمر", ". < 18"],
            ["end_repeat", "", "", "", ""],
        ],
        header=header,
    )
    survey_round = make_round(world.home, definition=xlsform.read(content, "rep.xlsx"))
    _app_user, key = openrosa.create_app_user(survey_round, "Surfplatta")
    form = ET.fromstring(client.get(f"/openrosa/key/{key}/form.xml").content)
    assert any(e.get("nodeset", "").endswith("/child") for e in form.iter("{http://www.w3.org/2002/xforms}repeat"))

    def body(*ages):
        root = ET.Element("data", id=openrosa.form_id(survey_round))
        ET.SubElement(root, openrosa.AREA).text = "other"
        for age in ages:
            ET.SubElement(ET.SubElement(root, "child"), "age").text = age
        ET.SubElement(ET.SubElement(root, "meta"), "instanceID").text = f"uuid:{'-'.join(ages)}"
        return ET.tostring(root)

    assert submit(client, f"/openrosa/key/{key}/", body("4", "9")).status_code == 201
    assert Response.objects.get().answers == {"age": [4, 9]}
    refused = submit(client, f"/openrosa/key/{key}/", body("4", "30"))
    assert refused.status_code == 400, "the second child's age breaks the constraint"
    assert "age#2" in refused.content.decode()
