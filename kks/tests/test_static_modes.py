"""Static files are hashed and served immutable in every served mode except `make run`'s debug (issue 11)."""

import json
import os
import subprocess
import sys
import textwrap

from django.conf import settings

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def run_python(code, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KKS_", "PYTEST_"))}
    return subprocess.run(  # noqa: S603 - our own code with the current interpreter
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=settings.BASE_DIR,
        env={**clean, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def storage_of(module, **env):
    code = """
        import django
        django.setup()
        from django.conf import settings
        print(settings.STORAGES["staticfiles"]["BACKEND"])
    """
    result = run_python(code, DJANGO_SETTINGS_MODULE=module, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_make_run_debug_serves_plain_names_and_dev_without_debug_hashed_ones():
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert storage_of("kks.settings.dev", DJANGO_DEBUG="True") == plain
    assert storage_of("kks.settings.dev", DJANGO_DEBUG="False") == MANIFEST


def test_the_bench_serves_hashed_files_with_immutable_caching(tmp_path):
    """The bench measures what production serves: collectstatic into its own folder, hashed names in
    the pages, and WhiteNoise answering those names with a far-future, immutable Cache-Control."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    code = """
        import json
        import django
        django.setup()
        from django.core.management import call_command
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.conf import settings
        from django.templatetags.static import static
        from django.test import Client
        from django.test.utils import setup_test_environment
        setup_test_environment()
        name = static("css/kks.css")
        response = Client().get(name)
        b"".join(response.streaming_content)
        print(json.dumps({"backend": settings.STORAGES["staticfiles"]["BACKEND"], "name": name,
                          "status": response.status_code, "cache": response.get("Cache-Control", "")}))
    """
    result = run_python(
        code,
        DJANGO_SETTINGS_MODULE="evaluations.benchmark.settings",
        KKS_BENCH_DATABASE_URL=url,
        KKS_BENCH_PRIVATE_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body["backend"] == MANIFEST
    assert body["name"].startswith("/static/css/kks.")
    assert body["name"] != "/static/css/kks.css"
    assert body["status"] == 200
    assert "immutable" in body["cache"]
    assert "max-age=315360000" in body["cache"]
    assert (tmp_path / "static" / "staticfiles.json").exists()
