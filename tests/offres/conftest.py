import pytest
from django.core.management import call_command


@pytest.fixture
def ceilings(db):
    """The 2026 resource ceilings of the versioned data file."""
    call_command("load_plafonds", verbosity=0)
