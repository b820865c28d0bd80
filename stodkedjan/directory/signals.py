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
        SearchEntry.objects.filter(service__method=instance).update(version=timezone.now())  # its link or not


@receiver(post_save, sender=Service, dispatch_uid="directory_cards_follow_offerings")
def offering_saved(sender: Any, instance: Service, raw: bool = False, **kwargs: Any) -> None:
    """Any save, also one that is not indexed again (checked as still correct: the date on its page)."""
    if not raw:
        SearchEntry.objects.filter(service=instance).update(version=timezone.now())


@receiver(post_save, sender=Location, dispatch_uid="directory_cards_follow_places")
def place_changed(sender: Any, instance: Location, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        SearchEntry.objects.filter(service__service_at_locations__location=instance).update(version=timezone.now())


@receiver(post_save, sender=Organisation, dispatch_uid="directory_cards_follow_organisations")
def organisation_changed(sender: Any, instance: Organisation, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        SearchEntry.objects.filter(service__organisation=instance).update(version=timezone.now())
