from __future__ import annotations

import pytest

from searchlib.analysis.analyzer import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def plain() -> Analyzer:
    """No stemming: Latin words match as written."""
    return Analyzer(stemmer=None)


@pytest.fixture(scope="session")
def english() -> Analyzer:
    return Analyzer(stemmer="english")


@pytest.fixture(scope="session")
def indonesian() -> Analyzer:
    return Analyzer(stemmer="indonesian")
