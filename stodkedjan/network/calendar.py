"""Calendar files (RFC 5545) for events."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from stodkedjan.network.models import Event


def event_ics(event: Event) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Stödkedjan//evenemang//SV")
    calendar.add("version", "2.0")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.pk}@stodkedjan")
    entry.add("summary", event.title)
    entry.add("dtstart", event.starts_at)
    entry.add("dtend", event.ends_at)
    entry.add("location", event.place or event.online_link)
    entry.add("url", settings.SITE_URL + reverse("network:event", kwargs={"event_id": event.pk}))
    entry.add("description", event.description)
    calendar.add_component(entry)
    return calendar.to_ical()
