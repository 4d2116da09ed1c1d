"""Production settings, checked in child processes so the test settings stay untouched."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "AWS_", "KKS_", "AXES_")) and key != "PYTEST_CURRENT_TEST"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kks.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="kks.example.go.id",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(extra)
    return env


def run_python(code, env):
    return subprocess.run(  # noqa: S603 - runs our own code with the current interpreter
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_values(names, **extra):
    code = f"""
        import json
        import django
        from django.conf import settings
        django.setup()
        print(json.dumps({{name: getattr(settings, name, None) for name in {names!r}}}, default=str))
    """
    result = run_python(code, production_env(**extra))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_passes_without_any_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_a_missing_or_short_secret_key():
    for key in ("", "too-short-" * 4):
        result = run_python("import django; django.setup()", production_env(DJANGO_SECRET_KEY=key))
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure_and_http_only():
    values = settings_values(
        [
            "DEBUG",
            "SESSION_COOKIE_SECURE",
            "SESSION_COOKIE_HTTPONLY",
            "SESSION_COOKIE_SAMESITE",
            "CSRF_COOKIE_SECURE",
            "CSRF_COOKIE_HTTPONLY",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "SECURE_PROXY_SSL_HEADER",
            "AXES_CLIENT_IP_CALLABLE",
        ]
    )
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["AXES_CLIENT_IP_CALLABLE"] == "kks.clientip.client_ip"


def test_production_stores_files_in_a_private_s3_bucket_when_one_is_configured():
    # Fake credentials and no metadata service: everything below is computed locally, no request is sent.
    code = """
        import django
        django.setup()
        from django.core.files.storage import default_storage
        from storages.backends.s3 import S3Storage
        assert isinstance(default_storage, S3Storage), type(default_storage)
        print(default_storage.default_acl, default_storage.file_overwrite, default_storage.querystring_auth)
        print(default_storage.url("evidence/2025/11/abc"))
    """
    result = run_python(
        code,
        production_env(
            AWS_STORAGE_BUCKET_NAME="kks-bukti",
            AWS_S3_ENDPOINT_URL="https://s3.example.invalid",
            AWS_S3_REGION_NAME="ap-southeast-3",
            AWS_S3_ADDRESSING_STYLE="path",
            AWS_ACCESS_KEY_ID="AKIAFAKEFORTESTS",
            AWS_SECRET_ACCESS_KEY="fake-secret",
            AWS_EC2_METADATA_DISABLED="true",
        ),
    )
    assert result.returncode == 0, result.stderr
    options, url = result.stdout.strip().splitlines()[-2:]
    assert options == "private False True"
    assert url.startswith("https://s3.example.invalid/kks-bukti/evidence/2025/11/abc?")
    assert "X-Amz-Signature=" in url
    assert "X-Amz-Expires=300" in url


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=production_env(DJANGO_STATIC_ROOT=str(root)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root


def test_production_responses_redirect_to_https_and_set_secure_cookies(collected_static):
    code = """
        import json
        import django
        django.setup()
        from django.test.utils import setup_test_environment
        setup_test_environment()
        from django.test import Client
        client = Client()
        plain = client.get("/akun/login/")
        secure = client.get("/akun/login/", headers={"x-forwarded-proto": "https"})
        health = client.get("/healthz")
        cookie = secure.cookies["csrftoken"]
        print(json.dumps({
            "plain": [plain.status_code, plain.get("Location", "")],
            "secure": secure.status_code,
            "hsts": secure.get("Strict-Transport-Security", ""),
            "csp": secure.get("Content-Security-Policy", ""),
            "cookie": {"secure": bool(cookie["secure"]), "httponly": bool(cookie["httponly"]),
                       "samesite": cookie["samesite"]},
            "health": health.status_code,
        }))
    """
    result = run_python(code, production_env(DJANGO_STATIC_ROOT=str(collected_static)))
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body["plain"] == [301, "https://testserver/akun/login/"]
    assert body["secure"] == 200
    assert "max-age=31536000" in body["hsts"]
    assert "includeSubDomains" in body["hsts"]
    assert "script-src 'self'" in body["csp"]
    assert body["cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    # /healthz answers plain HTTP (monitors on the private network); 503 only if a service is down.
    assert body["health"] in (200, 503)


def test_whitenoise_serves_hashed_static_files_in_production(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    hashed = next(value for key, value in manifest["paths"].items() if key.endswith(".css"))
    code = f"""
        import django
        django.setup()
        from django.test.utils import setup_test_environment
        setup_test_environment()
        from django.test import Client
        response = Client().get("/static/{hashed}", headers={{"x-forwarded-proto": "https"}})
        print(response.status_code, response.get("Cache-Control", ""))
    """
    result = run_python(code, production_env(DJANGO_STATIC_ROOT=str(collected_static)))
    assert result.returncode == 0, result.stderr
    status, cache_control = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "200"
    assert "immutable" in cache_control


def test_production_ignores_a_client_sent_forwarded_header_unless_a_proxy_is_configured():
    """Issue 12: behind no proxy, any client-sent X-Forwarded-For was trusted by the lockout."""
    code = """
        import django
        django.setup()
        from axes.helpers import get_client_ip_address
        from django.test import RequestFactory
        forged = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
        proxied = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
        print(get_client_ip_address(forged), get_client_ip_address(proxied))
    """
    result = run_python(code, production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["203.0.113.7", "127.0.0.1"]
    result = run_python(code, production_env(KKS_TRUSTED_PROXIES="127.0.0.1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["203.0.113.7", "198.51.100.1"]


def test_production_counts_rate_limits_in_a_shared_redis_cache():
    values = settings_values(["CACHES"], KKS_CACHE_URL="redis://10.0.0.11:6379/3")
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://10.0.0.11:6379/3"
