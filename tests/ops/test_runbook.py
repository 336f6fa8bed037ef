"""The README's production runbook cannot drift from the code: the table of environment
variables is the one generated from the settings, every variable read elsewhere is
documented, and every health check has its line (issue 20, "README")."""

import re
import subprocess
import sys
from pathlib import Path

from core.health import CHECKS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
sys.path.insert(0, str(ROOT / "scripts"))
import env_table  # noqa: E402


def test_the_environment_table_is_the_one_generated_from_the_settings():
    assert env_table.block() in README, (
        "README.md's table of environment variables differs from alin/settings.py: "
        "run `python scripts/env_table.py --write`"
    )


def test_the_generated_table_lists_every_variable_the_settings_read():
    settings_text = (ROOT / "alin" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]*)"', settings_text))
    assert read and read == set(env_table.variables())
    for name, row in env_table.variables().items():
        assert row["doc"], f"{name}: add a comment above it in alin/settings.py"


def test_variables_read_outside_the_settings_are_documented():
    sources = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py", "*.sh"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    names = set()
    for name in sources:
        if name.startswith(("tests/", "bench/", "scripts/")) or name == "alin/settings.py":
            continue
        text = (ROOT / name).read_text()
        names |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z][A-Z0-9_]*)"', text))
        names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)[:}]", text))
    names -= {"DJANGO_SETTINGS_MODULE"}
    assert "DJANGO_SUPERUSER_EMAIL" in names and "CELERY_BEAT_SCHEDULE_FILE" in names
    for name in names:
        assert f"`{name}`" in README, f"{name} is read by the code but not in README.md"


def test_every_health_check_has_its_line_in_the_runbook():
    for name in CHECKS:
        assert f"checks.{name}" in README
