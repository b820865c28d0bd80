"""Demo dialogue meetings and needs: the county board's autumn meeting with municipal managers (held, with
answers given beforehand, notes, decisions and the needs it raised) and the next one. All invented."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.meetings import services
from stodkedjan.meetings.models import DialogueMeeting, NeedLevel, NeedStatus, NeedTheme

TITLE = "Dialogmöte med socialchefer i länet (demo)"
QUESTIONS = [
    ("Var finns de största luckorna i stödet till barn under 15 år och deras föräldrar?", True),
    ("Vilka verktyg saknar socialtjänsten i arbetet med föräldrar?", True),
    ("Vilka nationella åtgärder är viktigast för er?", True),
    ("Hur används resurserna bäst i länet de kommande två åren?", False),
]
ANSWERS = {
    "botkyrka": [
        "Föräldrar till barn 8–12 år i Alby och Fittja når vi dåligt; grupperna finns mest för små barn.",
        "Metodstöd för att leda grupper på arabiska och somaliska.",
        "Tydligare regler för informationsdelning mellan skola och socialtjänst.",
    ],
    "sodertalje": [
        "Stöd på kvällstid i Hovsjö och Ronna.",
        "Gemensamt material på flera språk om vad socialtjänsten gör.",
        "Långsiktig finansiering i stället för projektmedel.",
    ],
}
# (raised by, title, theme, level, status, passed on, answer)
NEEDS = [
    (
        "botkyrka",
        "Metodstöd för föräldragrupper på arabiska och somaliska",
        NeedTheme.COMPETENCE,
        NeedLevel.REGIONAL,
        NeedStatus.IN_PROGRESS,
        False,
        "Länsstyrelsen startar en arbetsgrupp under våren.",
    ),
    (
        "sodertalje",
        "Långsiktig finansiering av föräldragrupper i utsatta områden",
        NeedTheme.RESOURCES,
        NeedLevel.REGIONAL,
        NeedStatus.ANSWERED,
        False,
        "Frågan tas upp i länets samverkansråd; medel söks gemensamt för 2027.",
    ),
    (
        "stockholms-stad",
        "Nationell vägledning om informationsdelning mellan skola och socialtjänst",
        NeedTheme.NATIONAL_MEASURES,
        NeedLevel.NATIONAL,
        NeedStatus.OPEN,
        True,
        "",
    ),
    (
        "botkyrka",
        "Stöd till föräldrar med barn 8–12 år som är på väg in i kriminalitet",
        NeedTheme.YOUNGER_CHILDREN,
        NeedLevel.REGIONAL,
        NeedStatus.OPEN,
        False,
        "",
    ),
    (
        "region-stockholm",
        "Samverkan mellan BVC och socialtjänstens öppna verksamhet",
        NeedTheme.COORDINATION,
        NeedLevel.LOCAL,
        NeedStatus.OPEN,
        False,
        "",
    ),
]


def load_meetings(organisations: dict[str, Organisation]) -> None:
    county_board = organisations["lansstyrelsen-stockholm"]
    if DialogueMeeting.objects.filter(organisation=county_board, title=TITLE).exists():
        return
    today = timezone.localdate()
    invited = [organisations[s] for s in ("stockholms-stad", "botkyrka", "sodertalje", "region-stockholm")]
    held = services.save_meeting(
        county_board,
        {
            "title": TITLE,
            "starts_at": timezone.make_aware(datetime.combine(today - timedelta(days=14), time(9, 0))),
            "place": "Länsstyrelsen, Regeringsgatan (demo)",
            "online_link": "",
            "agenda": "1. Välkommen och syfte\n2. Läget i kommunerna\n3. Diskussionsfrågorna\n4. Behov och nästa steg",
            "notes": "Kommunerna beskriver att stödet når småbarnsföräldrar men inte föräldrar till barn 8–12 år. "
            "Flera saknar material på andra språk än svenska.",
            "decisions": "Länsstyrelsen bjuder in till en arbetsgrupp om metodstöd för utrikes födda föräldrar.",
            "invited": invited,
            "questions": QUESTIONS,
        },
    )
    questions = list(held.questions.filter(ask_before=True))
    for slug, texts in ANSWERS.items():
        services.save_pre_meeting_answers(
            held, organisations[slug], {q.pk: text for q, text in zip(questions, texts, strict=False)}
        )
    services.save_meeting(
        county_board,
        {
            "title": "Dialogmöte med socialchefer i länet, vår (demo)",
            "starts_at": timezone.make_aware(datetime.combine(today + timedelta(days=60), time(13, 0))),
            "place": "",
            "online_link": "https://meet.example/lansstyrelsen-dialog",
            "agenda": "Uppföljning av behoven från förra mötet.",
            "notes": "",
            "decisions": "",
            "invited": invited,
            "questions": QUESTIONS[:2],
        },
    )
    for slug, title, theme, level, status, passed_on, answer in NEEDS:
        need = services.create_need(
            organisations[slug], {"title": title, "theme": theme, "level": level}, None, meeting=held
        )
        if answer:
            services.answer_need(need, answer, status, county_board)
        if passed_on:
            services.pass_on_need(need)
