"""Digests of the code that computes a stored result, so a stored result is used only
while the code that made it is unchanged: no version number to remember to bump."""

from __future__ import annotations

import hashlib
import importlib.util
from functools import cache


@cache
def code_digest(*modules: str) -> str:
    """A short digest of the source of ``modules`` (dotted names)."""
    digest = hashlib.sha256()
    for name in modules:
        digest.update(name.encode("utf-8"))
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            with open(origin or "", "rb") as source:
                digest.update(source.read())
        except OSError:
            # Without its source (a frozen build) a module is known by its name alone.
            digest.update(b"?")
    return digest.hexdigest()[:12]
