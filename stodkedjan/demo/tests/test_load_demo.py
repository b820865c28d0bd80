from django.core.management import call_command

from stodkedjan.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from stodkedjan.demo import services
from stodkedjan.geo.models import Area


def test_the_demo_world_has_every_role_at_every_level(db):
    services.load_demo()
    for slug in ["mfof", "lansstyrelsen-stockholm", "botkyrka"]:
        roles = set(Membership.objects.filter(organisation__slug=slug).values_list("role", flat=True))
        assert roles == set(Role.values), slug
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {OrganisationKind.COUNTY_BOARD, OrganisationKind.REGION, OrganisationKind.DISTRICT_ADMINISTRATION} <= kinds
    assert Organisation.objects.filter(kind=OrganisationKind.CIVIL_SOCIETY).count() == 2
    skarholmen = Organisation.objects.get(slug="skarholmen")
    assert skarholmen.parent.slug == "stockholms-stad"
    assert skarholmen.area.name == "Skärholmen"


def test_demo_people_are_fictional_and_can_sign_in(db, client):
    services.load_demo()
    assert all(email.endswith("@demo.example") for email in User.objects.values_list("email", flat=True))
    response = client.post(
        "/sv/account/login/", {"username": "county.admin@demo.example", "password": services.DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_loading_the_demo_twice_duplicates_nothing(db):
    services.load_demo()
    counts = (User.objects.count(), Organisation.objects.count(), Membership.objects.count())
    services.load_demo()
    assert (User.objects.count(), Organisation.objects.count(), Membership.objects.count()) == counts


def test_the_command_prints_the_logins(db, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert services.DEMO_PASSWORD in out
    assert "local.editor@demo.example" in out


def test_the_demo_refuses_to_load_in_production(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_the_demo_reaches_beyond_stockholm_with_places_inside_skanes_areas(db):
    from stodkedjan.directory.models import Location, Service
    from stodkedjan.insights.coverage import Engine

    services.load_demo()
    skane = Area.objects.get(code="12")
    assert Service.objects.filter(organisation__area__county=skane, status="active").count() >= 20
    placed = dict(Location.objects.filter(organisation__slug="malmo-stad").values_list("name", "vulnerable_area__name"))
    assert placed["Familjecentralen Rosengård"] == "Rosengård"
    assert placed["Socialtjänsten Malmö centrum"] is None
    engine = Engine()
    counties = [engine.coverage(a) for a in Area.objects.filter(kind="county", code__in=["01", "12"])]
    assert all(c.verified > 0 for c in counties), "the national overview compares more than one county"
    soder = engine.coverage(Area.objects.get(code="1283-uo-soder"))
    assert soder.inside >= 1, "named by no offering, Söder is still served by the place that lies in it"
