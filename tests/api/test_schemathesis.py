"""Schemathesis against the live schema: every operation of the API, with data that fits
the schema and data that does not (positive and negative modes); no answer is a server
error, and every answer (status, content type, body) matches the schema."""

import subprocess
import sys
from pathlib import Path

import pytest

from api import services as api_services
from candidatures.workflow import Status
from tests.candidatures.factories import CandidatureFactory
from tests.offres.factories import LandlordMembershipFactory, OfferFactory
from tests.territoires.factories import CommuneFactory

pytestmark = [pytest.mark.django_db(transaction=True)]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance"
)


def test_every_operation_answers_as_its_schema_says(live_server, settings, tmp_path):
    # The fuzzer sends hundreds of calls: the per-key limit is not what is tested here.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api_key": "100000/min"},
    }
    commune = CommuneFactory()
    staff = LandlordMembershipFactory(is_admin=True)
    offers = [OfferFactory(landlord=staff.landlord, commune=commune) for _ in range(3)]
    CandidatureFactory(offer=offers[0], status=Status.FORWARDED)
    CandidatureFactory(offer=offers[1], status=Status.VISIT)
    _, secret = api_services.create_key(landlord=staff.landlord, name="Fuzz", by=staff.user)
    result = subprocess.run(  # noqa: S603 — our own tool, fixed arguments
        [
            str(SCHEMATHESIS),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Api-Key {secret}",
            "--checks",
            CHECKS,
            "--mode",
            "all",
            "--max-examples",
            "15",
            "--seed",
            "20261130",
            "--workers",
            "1",
            # The PDF is rendered by WeasyPrint: slow on a busy CI machine.
            "--request-timeout",
            "120",
            "--generation-database",
            "none",
            "--no-color",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=tmp_path,  # its cache and reports stay out of the repository
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-25000:]
    assert "13 selected / 13 total" in output and "Tested: 13" in output
