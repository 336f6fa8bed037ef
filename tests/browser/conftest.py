"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded
browser) against pytest-django's live server, with axe-core checks on every page."""

import json
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
VIEWPORTS = {"mobile": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls
# (factories) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"Chromium absent ({CHROMIUM}) : `make chromium` l'installe")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args, viewport):
    # bypass_csp lets the test inject axe-core; the portal itself never runs inline code.
    return {
        **browser_context_args,
        "viewport": VIEWPORTS[viewport],
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
        "bypass_csp": True,
    }


@pytest.fixture
def axe():
    """Run axe-core (WCAG 2.1 A and AA) on the page; fail on serious or critical issues."""

    def check(page):
        page.evaluate(AXE)
        result = page.evaluate(
            """async () => await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
        )
        bad = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert not bad, f"{page.url}: " + json.dumps(bad, ensure_ascii=False, indent=1)
        return result

    return check


@pytest.fixture
def console_errors(page):
    """Collect JavaScript errors and CSP violations the page reports."""
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors
