import factory

from stodkedjan.geo.models import Area, AreaKind


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"{30 + n % 60:02d}")
    name = factory.LazyAttribute(lambda a: f"Testlän {a.code}")
    kind = AreaKind.COUNTY

    @factory.post_generation
    def set_county(obj, create, extracted, **kwargs):
        if obj.county_id != obj.pk:
            obj.county = obj
            obj.save(update_fields=["county"])


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    parent = factory.SubFactory(CountyFactory)
    county = factory.SelfAttribute("parent")
    code = factory.Sequence(lambda n: f"9{n % 1000:03d}")
    name = factory.LazyAttribute(lambda a: f"Testkommun {a.code}")
    kind = AreaKind.MUNICIPALITY
