"""The HSDS profile page (public) and an organisation's API tokens (its admins)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stodkedjan.accounts.models import Organisation
from stodkedjan.accounts.queries import organisation_by_slug
from stodkedjan.core import audit
from stodkedjan.core.access import public, rule_required
from stodkedjan.core.cache import browser_cache
from stodkedjan.core.models import AuditKind
from stodkedjan.directory import freshness
from stodkedjan.hsds import vocabulary as vocab
from stodkedjan.hsds.api import AnonymousClientThrottle
from stodkedjan.hsds.forms import TokenForm
from stodkedjan.hsds.models import ApiToken


@public
@browser_cache()
def profile(request: HttpRequest) -> HttpResponse:
    terms = vocab.fixed_terms()
    vocabularies = [(v, [t for t in terms if t.vocabulary == v.key]) for v in vocab.VOCABULARIES.values()]
    counties, country = freshness.by_county()
    context = {
        "vocabularies": vocabularies,
        "version": vocab.PROFILE_VERSION,
        "rate": anonymous_rate_per_minute(),
        "freshness_rows": [(area, f) for area, f in counties if f.published],
        "freshness_total": country,
    }
    return render(request, "hsds/profile.html", context)


def anonymous_rate_per_minute() -> int:
    """The API's rate limit for callers without a token, per minute, as the profile page states it."""
    count, seconds = AnonymousClientThrottle().parse_rate(settings.HSDS_ANONYMOUS_RATE)
    return round((count or 0) * 60 / (seconds or 60))


@rule_required("hsds.manage_tokens", organisation_by_slug)
def tokens(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        token, created = ApiToken.issue(organisation, form.cleaned_data["name"], request.user)
        audit.record(AuditKind.TOKEN_CREATED, organisation=organisation, summary=f"{token.name} ({token.hint}…)")
        form = TokenForm()
    return render(
        request,
        "hsds/tokens.html",
        {
            "organisation": organisation,
            "tokens": organisation.api_tokens.select_related("created_by"),
            "form": form,
            "created": created,
        },
    )


def _token(slug: str, pk: int) -> ApiToken:
    return get_object_or_404(ApiToken.objects.select_related("organisation__area"), organisation__slug=slug, pk=pk)


@require_POST
@rule_required("hsds.manage_tokens", _token)
def token_revoke(request: HttpRequest, token: ApiToken) -> HttpResponse:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(AuditKind.TOKEN_REVOKED, organisation=token.organisation, summary=f"{token.name} ({token.hint}…)")
        messages.success(request, _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name})
    return redirect("hsds_pages:tokens", slug=token.organisation.slug)
