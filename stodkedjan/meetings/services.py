"""Writes to meetings: meetings with their questions, answers before a meeting, and needs."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.meetings.models import (
    DialogueMeeting,
    DiscussionQuestion,
    Need,
    NeedLevel,
    NeedStatus,
    PreMeetingAnswer,
)

MEETING_FIELDS = ("title", "starts_at", "place", "online_link", "agenda", "notes", "decisions")


@transaction.atomic
def save_meeting(
    organisation: Organisation, data: dict[str, Any], meeting: DialogueMeeting | None = None
) -> DialogueMeeting:
    """Create or update a meeting; its discussion questions follow the lines given, keeping earlier answers.

    A question whose text is unchanged keeps its answers; a removed line removes its question.
    """
    if meeting is None:
        meeting = DialogueMeeting(organisation=organisation)
    for field in MEETING_FIELDS:
        setattr(meeting, field, data.get(field, getattr(meeting, field)))
    meeting.save()
    meeting.invited.set(data["invited"])
    existing = {q.text: q for q in meeting.questions.all()}
    kept: list[int] = []
    for position, (text, ask_before) in enumerate(data["questions"]):
        question = existing.get(text) or DiscussionQuestion(meeting=meeting, text=text)
        question.position, question.ask_before = position, ask_before
        question.save()
        kept.append(question.pk)
    meeting.questions.exclude(pk__in=kept).delete()
    return meeting


@transaction.atomic
def save_pre_meeting_answers(meeting: DialogueMeeting, organisation: Organisation, answers: dict[int, str]) -> None:
    """An invited organisation's answers to the questions asked before the meeting (question id → text)."""
    for question in meeting.questions.filter(ask_before=True):
        text = answers.get(question.pk, "").strip()
        PreMeetingAnswer.objects.update_or_create(question=question, organisation=organisation, defaults={"text": text})


def create_need(
    organisation: Organisation, data: dict[str, Any], user: Any, meeting: DialogueMeeting | None = None
) -> Need:
    """A need raised by ``organisation`` (from a meeting, or on its own)."""
    return Need.objects.create(
        organisation=organisation,
        meeting=meeting,
        title=data["title"],
        description=data.get("description", ""),
        theme=data["theme"],
        level=data["level"],
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )


def update_need(need: Need, data: dict[str, Any]) -> None:
    """The raising organisation's own edit of its need."""
    for field in ("title", "description", "theme", "level", "status"):
        setattr(need, field, data[field])
    need.save()


def answer_need(need: Need, answer: str, status: str, by: Organisation | None) -> None:
    """The county board's (or, once passed on, the national level's) answer."""
    need.answer, need.status, need.answered_by = answer, status, by
    need.save()


def pass_on_need(need: Need) -> bool:
    """Pass a need on to the national level; False when it already was (so twice = once)."""
    updated = Need.objects.filter(pk=need.pk, passed_on_at__isnull=True).update(
        passed_on_at=timezone.now(), level=NeedLevel.NATIONAL, status=NeedStatus.OPEN, updated_at=timezone.now()
    )
    need.refresh_from_db()
    if updated:
        need.save(update_fields=["updated_at"])  # so the history shows when, and by whom, it was passed on
    return bool(updated)
