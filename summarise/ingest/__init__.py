"""Bytes, files and pages -> Articles."""
