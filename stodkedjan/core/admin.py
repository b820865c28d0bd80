from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from stodkedjan.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: the audit log is written by the system and read by people."""

    list_display = ["at", "kind", "actor_email", "organisation_name", "summary", "client_address"]
    list_filter = ["kind"]
    search_fields = ["actor_email", "organisation_name", "summary"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
