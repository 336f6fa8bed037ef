"""README's Security table names, for each protection, the test that proves it: the
rows issue 12 asks for are there, and every test it names exists (a renamed or deleted
test makes this fail instead of leaving the table pointing at nothing)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIRED_ROWS = (
    "Second factor (MFA)",
    "Admin sign-in limits",
    "Per-IP limits behind the proxy",
    "Proxy",
    "Advisor boundaries",
    "Caching headers",
)


def security_rows():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Security\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 3 and cells[0] not in ("what", "---"):
            rows[cells[0]] = cells[2]
    return rows


def test_the_security_table_has_a_proven_row_for_each_protection():
    rows = security_rows()
    for name in REQUIRED_ROWS:
        assert name in rows, f"README Security table: no row « {name} »"
        assert "tests/" in rows[name], f"« {name} »: name the test that proves it"


def test_every_test_the_security_table_names_exists():
    named = []
    for name, proof in security_rows().items():
        named += [(name, ref) for ref in re.findall(r"`(tests/[^`\s]*)`", proof)]
    assert named
    for row, ref in named:
        path, _, function = ref.partition("::")
        target = ROOT / path
        assert target.exists(), f"« {row} »: {path} does not exist"
        if function:
            tree = ast.parse(target.read_text())
            names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
            assert function in names, f"« {row} »: {ref} does not exist"
