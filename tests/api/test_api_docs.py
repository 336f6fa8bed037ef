"""docs/api.md gives a landlord's developer a curl example for every operation of the live
schema (issue 16): an endpoint added without its example fails here."""

import re
import shlex
from pathlib import Path

from drf_spectacular.generators import SchemaGenerator

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
README = DOC.parents[1] / "README.md"
METHODS = ("get", "post", "put", "patch", "delete")


def documented_calls():
    """(METHOD, path template) of each curl command in the document's shell blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", DOC.read_text(), flags=re.S)
    calls = set()
    for block in blocks:
        words = shlex.split(block.replace("\\\n", " "), comments=True)
        starts = [i for i, word in enumerate(words) if word == "curl"]
        for start, end in zip(starts, [*starts[1:], len(words)], strict=True):
            command = words[start:end]
            method = "GET"
            if "-X" in command:
                method = command[command.index("-X") + 1]
            elif {"-d", "-F"} & set(command):
                method = "POST"
            for word in command:
                found = re.search(r"(/api/v1/[^?\s]*)", word)
                if found:
                    calls.add((method, re.sub(r"/\d+/", "/{id}/", found.group(1))))
    return calls


def schema_operations():
    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in METHODS
    }


def test_docs_api_has_a_curl_example_for_every_operation_and_the_readme_links_it():
    operations = schema_operations()
    assert len(operations) >= 13
    missing = operations - documented_calls()
    assert not missing, f"docs/api.md : aucun exemple curl pour {sorted(missing)}"
    stale = documented_calls() - operations
    assert not stale, f"docs/api.md : exemples d'opérations inconnues {sorted(stale)}"
    text = DOC.read_text()
    assert "## Obtenir une clé" in text and "## Les erreurs" in text
    assert "(docs/api.md)" in README.read_text()
