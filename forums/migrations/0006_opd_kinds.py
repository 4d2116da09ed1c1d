"""An OPD holds one or more kinds (a merged office such as "Bappeda & PM"): the one ``kind`` becomes ``kinds``."""

from django.db import migrations, models


def copy_kind_to_kinds(apps, schema_editor):
    Opd = apps.get_model("forums", "Opd")
    Through = Opd.kinds.through
    Through.objects.bulk_create(
        [Through(opd_id=pk, opdkind_id=kind_id) for pk, kind_id in Opd.objects.values_list("pk", "kind_id")],
        batch_size=1000,
    )


def copy_kinds_to_kind(apps, schema_editor):
    """Backwards: the first kind of each OPD (a merged office loses the others)."""
    Opd = apps.get_model("forums", "Opd")
    for opd in Opd.objects.prefetch_related("kinds"):
        kinds = sorted(opd.kinds.all(), key=lambda k: k.pk)
        if kinds:
            Opd.objects.filter(pk=opd.pk).update(kind_id=kinds[0].pk)


class Migration(migrations.Migration):
    dependencies = [("forums", "0005_audit_history")]

    operations = [
        migrations.AlterField(
            model_name="opd",
            name="kind",
            field=models.ForeignKey(
                null=True,
                on_delete=models.PROTECT,
                related_name="+",
                to="forums.opdkind",
                verbose_name="jenis",
            ),
        ),
        migrations.AddField(
            model_name="opd",
            name="kinds",
            field=models.ManyToManyField(related_name="opds", to="forums.opdkind", verbose_name="jenis"),
        ),
        migrations.RunPython(copy_kind_to_kinds, copy_kinds_to_kind),
        migrations.RemoveField(model_name="opd", name="kind"),
    ]
