import factory

from tatanan.models import FrameworkStatus, FrameworkVersion, Indicator, IndicatorKind, ScaleOption, Tatanan


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkVersion

    code = factory.Sequence(lambda n: f"uji-{n}")
    name = factory.Sequence(lambda n: f"Kerangka Uji {n}")
    year = 2025
    status = FrameworkStatus.PUBLISHED


class TatananFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tatanan

    framework = factory.SubFactory(FrameworkFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Tatanan Uji {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator
        skip_postgeneration_save = True

    tatanan = factory.SubFactory(TatananFactory)
    framework = factory.SelfAttribute("tatanan.framework")
    kind = IndicatorKind.TATANAN
    number = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"I-{n}")
    name = factory.Sequence(lambda n: f"Persentase capaian uji {n}")
    sort_order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def scale(obj, create, extracted, **kwargs):
        if not create:
            return
        for value in extracted or (100, 50, 0):
            ScaleOption.objects.create(indicator=obj, value=value, description=f"Nilai {value}")


def make_framework(*, tatanan=2, per_tatanan=3, kelembagaan=2, opd_kind=None, scale=(100, 50, 0)):
    """A small published framework: ``tatanan`` x ``per_tatanan`` indicators plus kelembagaan ones."""
    fw = FrameworkFactory()
    n = 0
    for t in range(1, tatanan + 1):
        tt = TatananFactory(framework=fw, number=t, name=f"Tatanan {t}")
        for i in range(1, per_tatanan + 1):
            n += 1
            ind = IndicatorFactory(tatanan=tt, framework=fw, number=i, code=f"T{t}-{i:02d}", sort_order=n, scale=scale)
            if opd_kind is not None:
                ind.responsible_opd_kinds.add(opd_kind)
    for k in range(1, kelembagaan + 1):
        n += 1
        ind = Indicator.objects.create(
            framework=fw,
            tatanan=None,
            kind=IndicatorKind.KELEMBAGAAN,
            number=k,
            code=f"K-{k:02d}",
            name=f"SK lembaga {k}",
            sort_order=n,
            body_kind="forum",
        )
        ScaleOption.objects.create(indicator=ind, value=100, description="Ada SK")
        ScaleOption.objects.create(indicator=ind, value=0, description="Tidak ada SK")
    return fw
