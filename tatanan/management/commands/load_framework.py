"""``manage.py load_framework FILE [--publish]``: load a framework version from YAML or JSON.

The file format is described in docs/framework-format.md. The whole file is validated before
anything is written; a bad file is refused with one line per problem naming the line and field.
Files over the size limit (``KKS_FRAMEWORK_MAX_BYTES``, 2 MiB) or nested too deep are refused the same way.
"""

from django.core.management.base import BaseCommand, CommandError

from tatanan.loader import FrameworkFileError, read_framework_file
from tatanan.services import FrameworkLoadError, framework_load

OUTCOMES = {
    "created": "Loaded",
    "replaced": "Replaced draft",
    "published": "Published",
    "unchanged": "Already loaded (same file), nothing changed:",
}


class Command(BaseCommand):
    help = "Load a framework version (tatanan, indicators, scales, OPD kinds) from a YAML or JSON file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the framework file (.yaml, .yml or .json).")
        parser.add_argument("--publish", action="store_true", help="Publish the framework; it becomes immutable.")

    def handle(self, *args, **options):
        path = options["file"]
        try:
            data = read_framework_file(path)  # at most the size limit + 1 byte: /dev/zero cannot exhaust memory
            result = framework_load(data=data, source_name=path, publish=options["publish"])
        except (FrameworkFileError, FrameworkLoadError) as exc:
            raise CommandError(str(exc)) from exc
        fw, spec = result.framework, result.spec
        summary = (
            f"{OUTCOMES[result.outcome]} {fw.code} ({fw.get_status_display()}): {len(spec.tatanan)} tatanan, "
            f"{spec.count('tatanan')} tatanan indicators, {spec.count('kelembagaan')} kelembagaan indicators."
        )
        style = self.style.SUCCESS if result.changed else self.style.NOTICE
        self.stdout.write(style(summary))
