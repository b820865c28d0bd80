"""ODK Collect and Enketo as interviewers' clients: an OpenRosa 1.0 server for one survey round.

An interviewer's device is set up with a server address that carries an app user's key
(``/openrosa/key/<key>/``, as ODK Central's app users), so Collect can list the round's form, download it
and send filled-in forms later, offline in the field between. The form is the imported XLSForm as pyxform
builds it, without the rows left out (places, photos, phone numbers …), with one question added first:
the area the parent lives in, as on the web form.

A submission goes through the same rules as the web form: the questionnaire's logic is checked again
(``surveys.xform``), free text is scrubbed, only the date is kept, and nothing about the device, the user or
the address it came from is stored. It is stored once per instanceID (Collect may send it again).
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import logging
import secrets
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from defusedxml import ElementTree as safe_xml
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from pyxform import builder

from stodkedjan.core.access import public
from stodkedjan.surveys import services, xform, xlsform
from stodkedjan.surveys.definition import SILENT_KINDS
from stodkedjan.surveys.forms import scrubbed
from stodkedjan.surveys.models import AppUser, Mode, SurveyRound

AREA = "stodkedjan_area"
OTHER_AREA = "other"
AREA_LABEL = gettext_noop("Where does the parent live?")
OTHER_LABEL = gettext_noop("Somewhere else, or would rather not say")
MAX_SUBMISSION_BYTES = 2 * 1024 * 1024
XML = "text/xml; charset=utf-8"
logger = logging.getLogger(__name__)


# --- app users ------------------------------------------------------------------------------------------


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_app_user(survey_round: SurveyRound, name: str) -> tuple[AppUser, str]:
    """A new app user and its key, which is shown once and never stored."""
    key = secrets.token_urlsafe(24)
    return AppUser.objects.create(round=survey_round, name=name, key_hash=_hash(key)), key


def server_url(key: str) -> str:
    return settings.SITE_URL + reverse("openrosa_form_list", kwargs={"key": key}).removesuffix("formList")


def collect_settings_code(survey_round: SurveyRound, key: str) -> str:
    """The text of ODK Collect's set-up QR code: its settings as JSON, zlib-compressed, base64."""
    settings_json = {
        "general": {"server_url": server_url(key).rstrip("/"), "form_update_mode": "match_exactly"},
        "admin": {},
        "project": {"name": survey_round.title},
    }
    return base64.b64encode(zlib.compress(json.dumps(settings_json).encode())).decode()


def _app_user(key: str) -> AppUser | None:
    return (
        AppUser.objects.filter(key_hash=_hash(key), revoked_at__isnull=True)
        .select_related("round__version", "round__organisation")
        .first()
    )


# --- the form -------------------------------------------------------------------------------------------


def form_id(survey_round: SurveyRound) -> str:
    return f"stodkedjan-{survey_round.pk}"


def _label_keys(children: list[dict[str, Any]]) -> list[str]:
    keys: list[str] = []
    for child in children:
        if isinstance(child.get("label"), dict):
            keys += [k for k in child["label"] if k not in keys]
        keys += [k for k in _label_keys(child.get("children", [])) if k not in keys]
    return keys


def _in(language_key: str, default: str, text: str) -> str:
    code = default if language_key == "default" else xlsform.language_code(language_key)
    with translation.override(code if code in dict(settings.LANGUAGES) else "en"):
        return _(text)


def xform_xml(survey_round: SurveyRound) -> str | None:
    """The round's form as XForm XML for Collect, the area question first; None when it has none."""
    form = survey_round.version.definition.get("odk")
    if not form:
        return None
    form = copy.deepcopy(form)
    first = survey_round.version.definition["languages"][0]
    keys = _label_keys(form.get("children", []))
    area_label, other_label = AREA_LABEL, OTHER_LABEL

    def label(text: str) -> Any:
        return {k: _in(k, first, text) for k in keys} if keys else _in("default", first, text)

    choices = [
        {"name": a.code, "label": dict.fromkeys(keys, a.name) if keys else a.name} for a in survey_round.areas.all()
    ]
    choices.append({"name": OTHER_AREA, "label": label(other_label)})
    area = {
        "type": "select one",
        "name": AREA,
        "label": label(area_label),
        "bind": {"required": "yes"},
        "itemset": AREA,
        "list_name": AREA,
        "parameters": {},
        "choices": choices,
    }
    form["children"] = [area, *form.get("children", [])]
    form["choices"] = {**(form.get("choices") or {}), AREA: choices}
    form.update({"id_string": form_id(survey_round), "title": survey_round.title})
    form["version"] = f"{survey_round.version.number}"
    return builder.create_survey_element_from_dict(form).to_xml(validate=False)


# --- responses ------------------------------------------------------------------------------------------


def _openrosa(body: str, status: int = 200, content_type: str = XML) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type=content_type)
    response["X-OpenRosa-Version"] = "1.0"
    response["Date"] = http_date()
    return response


def _message(text: str, status: int, nature: str = "") -> HttpResponse:
    root = ET.Element("OpenRosaResponse", xmlns="http://openrosa.org/http/response")
    message = ET.SubElement(root, "message", nature=nature) if nature else ET.SubElement(root, "message")
    message.text = text
    return _openrosa(ET.tostring(root, encoding="unicode"), status)


def _for_app_user(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """An OpenRosa view, public (the key in the address is the credential) and cookie-free, that is given
    the app user of the key — or answers 403 (no such key, or revoked) or 404 (the round takes no forms
    from Collect) in OpenRosa's words."""

    @public
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, key: str, **kwargs: Any) -> HttpResponseBase:
        app_user = _app_user(key)
        if app_user is None:
            return _message(_("This access is not valid or was revoked. Ask the survey's organiser."), 403)
        if not app_user.round.interviews or not app_user.round.version.definition.get("odk"):
            return _message(_("This round does not take forms from ODK Collect."), 404)
        return view(request, app_user, key=key, **kwargs)

    return wrapper


@_for_app_user
@require_http_methods(["GET", "HEAD"])
def form_list(request: HttpRequest, app_user: AppUser, key: str) -> HttpResponse:
    survey_round = app_user.round
    body = xform_xml(survey_round) or ""
    root = ET.Element("xforms", xmlns="http://openrosa.org/xforms/xformsList")
    item = ET.SubElement(root, "xform")
    for tag, text in (
        ("formID", form_id(survey_round)),
        ("name", survey_round.title),
        ("version", str(survey_round.version.number)),
        ("hash", "md5:" + hashlib.md5(body.encode(), usedforsecurity=False).hexdigest()),
        ("downloadUrl", request.build_absolute_uri(reverse("openrosa_form", kwargs={"key": key}))),
        ("manifestUrl", request.build_absolute_uri(reverse("openrosa_manifest", kwargs={"key": key}))),
    ):
        ET.SubElement(item, tag).text = text
    return _openrosa(ET.tostring(root, encoding="unicode"))


@_for_app_user
@require_http_methods(["GET", "HEAD"])
def form_download(request: HttpRequest, app_user: AppUser, key: str) -> HttpResponse:
    return _openrosa(xform_xml(app_user.round) or "")


@_for_app_user
@require_http_methods(["GET", "HEAD"])
def manifest(request: HttpRequest, app_user: AppUser, key: str) -> HttpResponse:
    """The form's media files: the CSV lists its select_one_from_file questions read."""
    root = ET.Element("manifest", xmlns="http://openrosa.org/xforms/xformsManifest")
    for name, text in (app_user.round.version.definition.get("files") or {}).items():
        item = ET.SubElement(root, "mediaFile")
        ET.SubElement(item, "filename").text = name
        ET.SubElement(item, "hash").text = "md5:" + hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
        url = reverse("openrosa_media", kwargs={"key": key, "filename": name})
        ET.SubElement(item, "downloadUrl").text = request.build_absolute_uri(url)
    return _openrosa(ET.tostring(root, encoding="unicode"))


@_for_app_user
@require_http_methods(["GET", "HEAD"])
def media(request: HttpRequest, app_user: AppUser, key: str, filename: str) -> HttpResponse:
    text = (app_user.round.version.definition.get("files") or {}).get(filename)
    if text is None:
        return _message(_("No such file."), 404)
    return _openrosa(text, content_type="text/csv; charset=utf-8")


def _typed(question: dict[str, Any], text: str) -> Any:
    """One answer as the web form stores it."""
    kind = question["kind"]
    if kind in ("select_multiple", "rank"):
        return text.split()
    if kind == "integer":
        return int(text)
    if kind in ("decimal", "range"):
        number = float(text)
        return int(number) if number.is_integer() else number
    return {"date": text[:10], "datetime": text[:16], "time": text[:5], "acknowledge": "OK"}.get(kind, text)


def _values(root: ET.Element, questions: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, int], str, str]:
    """The answers in a submitted instance (by question name, typed as the web form stores them; a
    repeated question's as a list, one per instance), how many times each repeat was filled in, the area
    code and the instanceID."""

    def local(element: ET.Element) -> str:
        return element.tag.rsplit("}", 1)[-1]

    found: dict[str, ET.Element] = {}
    instances: dict[str, list[ET.Element]] = {}
    repeats = {q["repeat"] for q in questions if q.get("repeat")}
    for element in root.iter():
        found.setdefault(local(element), element)
        if local(element) in repeats:
            instances.setdefault(local(element), []).append(element)
    answers: dict[str, Any] = {}
    for question in questions:
        if question["kind"] in SILENT_KINDS:
            continue
        name = question["name"]
        if question.get("repeat"):
            values = []
            for holder in instances.get(question["repeat"], []):
                inner = next((e for e in holder.iter() if local(e) == name), None)
                text = _text_of(inner)
                values.append(_typed(question, text) if text else None)
            if any(v is not None for v in values):
                answers[name] = values
        elif text := _text_of(found.get(name)):
            answers[name] = _typed(question, text)
    counts = {name: len(holders) for name, holders in instances.items()}
    return answers, counts, _text_of(found.get(AREA)), _text_of(found.get("instanceID"))


def _text_of(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


@_for_app_user
@require_http_methods(["HEAD", "POST"])
def submission(request: HttpRequest, app_user: AppUser, key: str) -> HttpResponse:
    """HEAD: Collect's pre-flight. POST: one filled-in form (multipart, ``xml_submission_file``); 201 when it
    is stored, and again when Collect sends the same instance twice."""
    if request.method == "HEAD":
        response = _openrosa("", 204)
        response["X-OpenRosa-Accept-Content-Length"] = str(MAX_SUBMISSION_BYTES)
        return response
    survey_round = app_user.round
    if not survey_round.is_open(timezone.localdate()):
        return _message(_("The round is closed: the form was not stored."), 409)
    upload = request.FILES.get("xml_submission_file")
    if upload is None or (upload.size or 0) > MAX_SUBMISSION_BYTES:
        return _message(_("Send the form as xml_submission_file, at most 2 MB."), 400)
    try:
        root = safe_xml.fromstring(upload.read(), forbid_dtd=True)  # no entities, no external references
        questions = survey_round.version.questions
        given, counts, area_code, instance_id = _values(root, questions)
    except (ET.ParseError, ValueError):  # defusedxml's refusals are ValueErrors
        return _message(_("The form could not be read."), 400)
    if not instance_id:
        return _message(_("The form has no instanceID."), 400)
    key_hash = hashlib.sha256(f"openrosa:{survey_round.pk}:{instance_id}".encode()).hexdigest()
    if services.already_submitted(survey_round, key_hash):
        return _message(_("Already received."), 201, "submit_success")
    result = xform.evaluate(questions, given, survey_round.version.definition.get("repeats"), counts)
    if result.errors:
        names = ", ".join(sorted(result.errors))
        return _message(_("The answers break the form's rules (%(names)s): not stored.") % {"names": names}, 400)
    kinds = {q["name"]: q["kind"] for q in questions}
    answers = {
        name: scrubbed(value) if kinds[name] == "text" else value
        for name, value in result.answers.items()
        if kinds[name] not in SILENT_KINDS
    }
    area = survey_round.areas.filter(code=area_code).first() if area_code != OTHER_AREA else None
    language = survey_round.version.definition["languages"][0]
    services.store_response(survey_round, key_hash, area, language, Mode.INTERVIEWER, answers, timezone.localdate())
    return _message(_("Received. Thank you."), 201, "submit_success")
