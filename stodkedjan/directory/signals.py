"""The directory follows the knowledge bank: when a method is saved, offerings naming it are linked to it."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from stodkedjan.directory import services
from stodkedjan.knowledge.models import Method


@receiver(post_save, sender=Method, dispatch_uid="directory_link_offerings_to_method")
def link_offerings(sender: Any, instance: Method, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        services.link_to_method(instance)
