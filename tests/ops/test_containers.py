"""The container set-up, checked with tools that run here (no Docker engine): the compose
file against the Compose Specification's official JSON schema, `nginx -t` on the shipped
proxy configuration, and the image's entry points run as an unprivileged user in a
read-only copy of the tree with the Python the image uses (3.11) and the image's
requirements (issue 20, "Containers").
"""

import os
import re
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import free_port
from tests.ops.nginx import NGINX, SHIPPED, nginx_available
from tests.ops.pg import production_env
from tests.ops.servers import database_url_of_the_test_run, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
LONG_RUNNING = {"web", "worker", "worker-emails", "beat", "proxy"}


class MissingVariable(Exception):
    pass


def interpolate(value, env):
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} (what `docker compose config`
    does before validating)."""

    def replace(match):
        name, op, arg = match.group(1), match.group(2), match.group(3) or ""
        current = env.get(name, "")
        if op == ":?" and not current:
            raise MissingVariable(f"{name}: {arg}")
        if op == ":-" and not current:
            return arg
        return current

    pattern = r"\$\{([A-Z_][A-Z0-9_]*)(?:(:\?|:-)([^}]*))?\}"
    if isinstance(value, str):
        return re.sub(pattern, replace, value)
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    return value


def compose(env):
    data = yaml.safe_load(COMPOSE.read_text())  # resolves anchors and << merges
    data = {k: v for k, v in data.items() if not k.startswith("x-")}
    return interpolate(data, env)


SCHEMA = ROOT / "docker" / "compose-spec.json"


def compose_validator():
    """The official Compose Specification schema (vendored, see
    docker/compose-spec.NOTICE.md), as `docker compose config` checks a file."""
    import json

    import jsonschema

    schema = json.loads(SCHEMA.read_text())
    assert schema["$schema"].startswith("https://json-schema.org/draft-07/")
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_vendored_schema_is_the_official_one_unedited():
    import hashlib

    notice = (ROOT / "docker" / "compose-spec.NOTICE.md").read_text()
    recorded = re.search(r"^sha256: ([0-9a-f]{64})$", notice, re.M).group(1)
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == recorded
    schema = yaml.safe_load(SCHEMA.read_text())
    assert schema["title"] == "Compose Specification"
    assert schema["$id"] == "compose_spec.json"


def test_the_compose_file_follows_the_compose_specification():
    validator = compose_validator()
    raw = yaml.safe_load(COMPOSE.read_text())  # as written (x- blocks, ${VAR} strings)
    data = compose({"SECRET_KEY": "k" * 60})  # as `docker compose config` resolves it
    for document in (raw, data):
        problems = [
            f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)
        ]
        assert problems == []
    assert set(data["services"]) >= LONG_RUNNING | {"migrate", "db", "redis"}
    # The schema does catch mistakes (a typo in a key, an unknown condition, a bad type).
    for broken in (
        {"services": {"web": {"image": "x", "healthchek": {"test": ["CMD", "true"]}}}},
        {"services": {"web": {"image": "x", "depends_on": {"db": {"condition": "ready"}}}}},
        {"services": {"web": {"image": "x", "ports": "8000:8000"}}},
    ):
        assert list(validator.iter_errors(broken)), broken
    declared = set(data["volumes"])
    for name, service in data["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name}: volume {source} not declared"


def test_compose_has_no_usable_default_secret():
    with pytest.raises(MissingVariable, match="SECRET_KEY"):
        compose({})
    text = COMPOSE.read_text()
    assert "change-me" not in text
    assert not re.search(r"SECRET_KEY:\s*\"\$\{SECRET_KEY:-", text)


def test_compose_services_are_production_ready():
    services = compose({"SECRET_KEY": "k" * 60})["services"]
    for name in LONG_RUNNING:
        health = services[name].get("healthcheck", {})
        assert health.get("test") and not health.get("disable"), name
    # migrate prepares the database, never the demo (a separate, opt-in service).
    assert services["migrate"]["command"] == ["docker/migrate.sh"]
    assert "demo" not in " ".join(services["migrate"]["command"])
    assert "bootstrap" in (ROOT / "docker" / "migrate.sh").read_text()
    assert services["demo"]["profiles"] == ["demo"]
    env = services["web"]["environment"]
    assert "http://127.0.0.1:8000" in env["CSRF_TRUSTED_ORIGINS"].split(",")
    assert env["TRUSTED_PROXY_COUNT"] == "1"
    assert env["DEBUG"] == "false"
    # nginx serves the media volume the web containers write, where its config says.
    assert "media:/app/media" in services["web"]["volumes"]
    assert "media:/srv/alin/media:ro" in services["proxy"]["volumes"]
    assert "alias /srv/alin/media/;" in SHIPPED.read_text()
    assert services["worker-emails"]["environment"]["CELERY_QUEUES"] == "emails"


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".env", ".venv", ".git", "db.sqlite3", "media"):
        assert entry in ignored


def nginx_test(config_text):
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site.conf"
        site.write_text(config_text)
        main = Path(tmp) / "nginx.conf"
        main.write_text(
            f"pid {tmp}/nginx.pid; error_log {tmp}/error.log;\n"
            f"events {{}}\nhttp {{ include /etc/nginx/mime.types; "
            f"client_body_temp_path {tmp}/b; proxy_temp_path {tmp}/p; "
            f"include {site}; }}\n"
        )
        return subprocess.run(
            [NGINX, "-t", "-c", str(main), "-p", tmp], capture_output=True, text=True
        )


def test_nginx_accepts_the_shipped_configuration():
    if not nginx_available():
        pytest.skip("nginx absent (apt-get install nginx-light)")
    # Only Docker's service name is replaced: outside Docker, "web" does not resolve.
    text = SHIPPED.read_text().replace("server web:8000;", "server 127.0.0.1:8000;")
    out = nginx_test(text)
    assert out.returncode == 0, out.stderr
    assert "syntax is ok" in out.stderr and "test is successful" in out.stderr
    broken = nginx_test(text.replace("client_max_body_size 51m;", "client_max_body_size;"))
    assert broken.returncode != 0


# --- Entry points: unprivileged user, read-only tree, the image's Python and packages ----

UNPRIVILEGED = 65534  # nobody


def world_readable_dir(prefix):
    path = Path(tempfile.mkdtemp(prefix=prefix))
    path.chmod(0o755)
    return path


@pytest.fixture(scope="module")
def image_like():
    """A copy of the tree (git's files, as `COPY . .` minus .dockerignore), read-only,
    and a virtualenv of Debian's Python 3.11 with requirements/base.txt."""
    if os.geteuid() != 0:
        pytest.skip("needs root to run the entry points as another (unprivileged) user")
    python = "/usr/bin/python3.11"  # the system one: pyenv's lives under /root
    if not Path(python).exists():
        pytest.skip("Python 3.11 of the system absent")
    base = world_readable_dir("alin-image-")
    venv = base / "venv"
    uv = ROOT / ".venv" / "bin" / "uv"
    subprocess.run([str(uv), "venv", "--quiet", "--python", python, str(venv)], check=True)
    subprocess.run(
        [
            str(uv),
            "pip",
            "sync",
            "--quiet",
            "--python",
            str(venv / "bin" / "python"),
            str(ROOT / "requirements" / "base.txt"),
        ],
        check=True,
    )
    app = base / "app"
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        source = ROOT / name
        if not source.is_file():
            continue
        target = app / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    for path in [app, *app.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(
            mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
            | stat.S_IROTH
            | (stat.S_IXOTH if path.is_dir() or mode & stat.S_IXUSR else 0)
        )
    state = base / "state"  # what the image gives its user: media and beat's folder
    state.mkdir()
    os.chown(state, UNPRIVILEGED, UNPRIVILEGED)
    yield {"app": app, "venv": venv, "state": state}
    shutil.rmtree(base, ignore_errors=True)


def as_unprivileged():
    os.setgid(UNPRIVILEGED)
    os.setgroups([])
    os.setuid(UNPRIVILEGED)


def image_env(image, **extra):
    env = production_env(
        PATH=f"{image['venv']}/bin:/usr/bin:/bin",
        HOME=str(image["state"]),
        PYTHONDONTWRITEBYTECODE="1",
        DATABASE_URL=database_url_of_the_test_run(),
        MEDIA_ROOT=str(image["state"] / "media"),
        STATIC_ROOT=str(image["state"] / "static"),
        SECURE_SSL_REDIRECT="false",
        **extra,
    )
    env.pop("VIRTUAL_ENV", None)
    return env


def start(image, script, env):
    return subprocess.Popen(
        [str(image["app"] / "docker" / script)],
        cwd=image["app"],
        env=env,
        preexec_fn=as_unprivileged,  # noqa: PLW1509
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def healthcheck(image, kind, env):
    return subprocess.run(
        [str(image["venv"] / "bin" / "python"), "docker/healthcheck.py", kind],
        cwd=image["app"],
        env=env,
        preexec_fn=as_unprivileged,  # noqa: PLW1509
        capture_output=True,
        text=True,
        timeout=60,
    )


def until_healthy(image, kind, env, process, timeout=120):
    """Docker's start period and retries: the check is run again until it passes."""
    deadline = time.monotonic() + timeout
    while True:
        result = healthcheck(image, kind, env)
        if result.returncode == 0 or time.monotonic() > deadline:
            return result
        assert process.poll() is None, stop(process)
        time.sleep(2)


def stop(process):
    process.terminate()
    try:
        return process.communicate(timeout=30)[0].decode()
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()[0].decode()


@pytest.mark.django_db(transaction=True)
def test_web_entry_point_serves_and_is_healthy(image_like, postgres):
    port = free_port()
    env = image_env(image_like, PORT=str(port), WEB_CONCURRENCY="1")
    collect = subprocess.run(
        [
            str(image_like["venv"] / "bin" / "python"),
            "manage.py",
            "collectstatic",
            "--noinput",
            "-v0",
        ],
        cwd=image_like["app"],
        env=env,
        preexec_fn=as_unprivileged,  # noqa: PLW1509
        capture_output=True,
        text=True,
    )
    assert collect.returncode == 0, collect.stderr
    web = start(image_like, "web.sh", env)
    try:
        wait_for_port(port, web)
        result = until_healthy(image_like, "web", env, web)
        assert result.returncode == 0, result.stderr
    finally:
        log = stop(web)
    assert "Permission denied" not in log and "Read-only" not in log, log


@pytest.mark.redis
def test_worker_entry_point_answers_its_health_check(image_like, redis_url, postgres):
    env = image_env(
        image_like, REDIS_URL=redis_url, CELERY_CONCURRENCY="1", CELERY_QUEUES="h20b-health-check"
    )
    worker = start(image_like, "worker.sh", env)
    try:
        result = until_healthy(image_like, "worker", env, worker)
        assert result.returncode == 0, result.stderr
    finally:
        stop(worker)


@pytest.mark.redis
def test_beat_writes_its_schedule_as_the_image_user(image_like, redis_url, postgres):
    schedule = image_like["state"] / "beat" / "celerybeat-schedule"
    env = image_env(image_like, REDIS_URL=redis_url, CELERY_BEAT_SCHEDULE_FILE=str(schedule))
    assert healthcheck(image_like, "beat", env).returncode == 1  # nothing written yet
    beat = start(image_like, "beat.sh", env)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and healthcheck(image_like, "beat", env).returncode:
            assert beat.poll() is None, stop(beat)
            time.sleep(1)
        assert healthcheck(image_like, "beat", env).returncode == 0
    finally:
        log = stop(beat)
    assert "Permission denied" not in log, log
    # The former command wrote its schedule in the working folder: refused here.
    old = subprocess.run(
        [str(image_like["venv"] / "bin" / "celery"), "-A", "alin", "beat", "--max-interval", "1"],
        cwd=image_like["app"],
        env=env,
        preexec_fn=as_unprivileged,  # noqa: PLW1509
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert old.returncode != 0
    assert "Permission denied" in old.stdout + old.stderr or "Read-only" in old.stdout + old.stderr
