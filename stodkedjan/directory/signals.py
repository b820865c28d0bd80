"""The directory follows the knowledge bank: when a method is saved, offerings naming it are linked to it. And
the finder's kept result cards follow what they show besides the offering itself: a place or the organisation
that gives it, and any save of the offering (``SearchEntry.version``, see ``finder.cards``)."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from stodkedjan.accounts.models import Organisation
from stodkedjan.directory import services
from stodkedjan.directory.models import Location, SearchEntry, Service
from stodkedjan.knowledge.models import Method


@receiver(post_save, sender=Method, dispatch_uid="directory_link_offerings_to_method")
def link_offerings(sender: Any, instance: Method, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        services.link_to_method(instance)
        _changed(service__method=instance)  # its link or not


@receiver(post_save, sender=Service, dispatch_uid="directory_cards_follow_offerings")
def offering_saved(sender: Any, instance: Service, raw: bool = False, **kwargs: Any) -> None:
    """Any save, also one that is not indexed again (checked as still correct: the date on its page)."""
    if not raw:
        _changed(service=instance)


@receiver(post_save, sender=Location, dispatch_uid="directory_cards_follow_places")
def place_changed(sender: Any, instance: Location, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _changed(service__service_at_locations__location=instance)


@receiver(post_save, sender=Organisation, dispatch_uid="directory_cards_follow_organisations")
def organisation_changed(sender: Any, instance: Organisation, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _changed(service__organisation=instance)


def _changed(**which: Any) -> None:
    """A new version for the search entries ``which`` selects, so their kept cards and pages are drawn again."""
    SearchEntry.objects.filter(**which).update(version=timezone.now())
