import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
for folder in (PROJECT / "plugins", PROJECT, PROJECT / "tests"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole test session."""
    from browser import chromium_browser

    with chromium_browser() as instance:
        yield instance
