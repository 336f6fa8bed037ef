"""`manage.py bootstrap` prepares an empty production database, idempotently; `check`
reports missing reference data; `demo` refuses production (issue 20, "Bootstrap")."""

import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command

from tests.ops.pg import production_env, scratch_database

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def counts(url):
    with psycopg.connect(url) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "territoires_commune",
                "territoires_department",
                "offres_resourceceiling",
                "accounts_user",
                "auth_group",
                "auth_group_permissions",
                "account_emailaddress",
            )
        }


def test_bootstrap_prepares_an_empty_database_and_a_rerun_changes_nothing():
    with scratch_database("bootstrap") as url:
        env = production_env(
            DATABASE_URL=url,
            REDIS_URL="",
            DJANGO_SUPERUSER_EMAIL="Admin@Example.org",
            DJANGO_SUPERUSER_PASSWORD="Bootstrap2026!x",
        )
        # Migrated but empty: `check` names the missing reference data.
        assert manage("migrate", "--noinput", env=env).returncode == 0
        report = manage("check", "--database", "default", env=env)
        assert "territoires.W001" in report.stderr + report.stdout
        assert "offres.W001" in report.stderr + report.stdout
        assert "PLAI, PLS, PLUS" in report.stderr + report.stdout

        first = manage("bootstrap", env=env)
        assert first.returncode == 0, first.stderr
        assert "Superutilisateur admin@example.org créé." in first.stdout
        assert "W001" not in first.stdout + first.stderr  # reference data present
        after_first = counts(url)
        assert after_first["territoires_commune"] > 34000
        assert after_first["offres_resourceceiling"] == 54
        assert after_first["accounts_user"] == 1
        assert after_first["auth_group"] == 1 and after_first["auth_group_permissions"] > 50

        # Re-run, even with another password in the environment: nothing changes.
        env["DJANGO_SUPERUSER_PASSWORD"] = "Autre2026!motdepasse"
        second = manage("bootstrap", env=env)
        assert second.returncode == 0, second.stderr
        assert "existe déjà : laissé tel quel" in second.stdout
        assert counts(url) == after_first
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT is_superuser, is_staff, role FROM accounts_user").fetchone()
            verified = conn.execute("SELECT verified FROM account_emailaddress").fetchone()
        assert row == (True, True, "conseiller") and verified == (True,)
        # The first password still signs in; the second was never applied.
        check_password = manage(
            "shell",
            "-c",
            "from accounts.models import User; u = User.objects.get(); "
            "print(u.check_password('Bootstrap2026!x'), "
            "u.check_password('Autre2026!motdepasse'))",
            env=env,
        )
        assert check_password.stdout.strip().splitlines()[-1] == "True False", check_password.stderr


def test_bootstrap_refuses_a_weak_superuser_password_in_french():
    with scratch_database("bootstrap_weak") as url:
        env = production_env(
            DATABASE_URL=url,
            REDIS_URL="",
            DJANGO_SUPERUSER_EMAIL="admin@example.org",
            DJANGO_SUPERUSER_PASSWORD="admin",
        )
        assert manage("migrate", "--noinput", env=env).returncode == 0
        out = manage("create_first_superuser", env=env)
        assert out.returncode != 0
        assert "Mot de passe du premier superutilisateur refusé" in out.stderr
        assert counts(url)["accounts_user"] == 0


def test_demo_refuses_production_unless_forced():
    env = production_env(DATABASE_URL="sqlite:////nonexistent/never-opened.sqlite3")
    out = manage("demo", env=env)
    assert out.returncode != 0
    assert "Refusé : DEBUG=false (production)" in out.stderr
    assert "bootstrap" in out.stderr


@pytest.mark.django_db
def test_demo_refusal_is_decided_by_the_environment_not_the_test_runner(settings):
    settings.DEVELOPMENT = False
    with pytest.raises(CommandError, match="demo --force"):
        call_command("demo")
