import factory

from forums.models import Body, BodyKind, Membership, Opd, OpdKind, Region, RegionKind, RegionLevel, Role, User


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{90 + n % 9}" if n < 9 else f"P{n}")
    name = factory.Sequence(lambda n: f"Provinsi Uji {n}")
    level = RegionLevel.PROVINCE
    kind = RegionKind.PROVINCE


class RegencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    parent = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"R{n:04d}")
    name = factory.Sequence(lambda n: f"Kota Uji {n}")
    level = RegionLevel.REGENCY
    kind = RegionKind.KOTA


class OpdKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpdKind
        django_get_or_create = ("code",)

    code = "dinkes"
    name = "Dinas Kesehatan"


class OpdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opd

    regency = factory.SubFactory(RegencyFactory)
    name = factory.Sequence(lambda n: f"Dinas Uji {n}")
    short_name = factory.Sequence(lambda n: f"DU{n}")

    @classmethod
    def _create(cls, model_class, *args, kind=None, kinds=None, **kwargs):
        """``kind=`` (one) or ``kinds=`` (several, a merged office); a fresh kind when neither is given."""
        opd = super()._create(model_class, *args, **kwargs)
        opd.kinds.set(kinds if kinds is not None else [kind or OpdKindFactory()])
        return opd


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="id_ID")
    last_name = factory.Faker("last_name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    role = Role.FORUM_COORDINATOR
    password = factory.PostGenerationMethodCall("set_password", "sandi-uji-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    kind = BodyKind.FORUM
    name = factory.Sequence(lambda n: f"Forum Kota Sehat {n}")
    region = factory.SubFactory(RegencyFactory)
    scope_region = factory.SelfAttribute("region")
    sk_number = factory.Sequence(lambda n: f"188.45/{n}/KEP/2024")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    person_name = factory.Faker("name", locale="id_ID")
    position = "Kepala Bappeda"
