"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import pytest

from summarise.nlp import Pipeline, load_pipeline


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return load_pipeline()


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """Test HTTP servers listen on the IPv4 loopback only, on a free port."""
    return ("127.0.0.1", 0)
