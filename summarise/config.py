"""Where newsreader keeps its files, and the user's settings in a small TOML file.

Every directory can be moved with an environment variable so tests and portable
installs never touch the real home directory.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs
import tomlkit
from tomlkit.exceptions import TOMLKitError

from summarise.export import write_new_file
from summarise.group_settings import DEFAULT_THRESHOLD

APP_NAME = "newsreader"
CONFIG_FILE_NAME = "config.toml"

CONFIG_DIR_ENV = "NEWSREADER_CONFIG_DIR"
CACHE_DIR_ENV = "NEWSREADER_CACHE_DIR"
DATA_DIR_ENV = "NEWSREADER_DATA_DIR"

SORT_ORDERS = ("date", "title", "source", "corpus")


def _directory(env_name: str, default: str) -> Path:
    override = os.environ.get(env_name, "").strip()
    return Path(override).expanduser() if override else Path(default)


def config_dir() -> Path:
    return _directory(CONFIG_DIR_ENV, platformdirs.user_config_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return _directory(CACHE_DIR_ENV, platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return _directory(DATA_DIR_ENV, platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_path() -> Path:
    return config_dir() / CONFIG_FILE_NAME


@dataclass
class Settings:
    """What the user can change; every field has a working default.

    ``warnings`` holds what went wrong while loading (a broken file, a bad value);
    it is never saved.
    """

    algorithm: str = "news"
    sentences: int = 3
    threshold: float = DEFAULT_THRESHOLD
    model: str = ""
    export_dir: str = ""
    theme: str = ""
    keymap: dict[str, str] = field(default_factory=dict)
    last_article: str = ""
    sort: str = "date"
    grouping: bool = True
    highlight_entities: bool = True
    hide_read: bool = False
    # Read stories older than this many days leave the library on update.
    keep_days: int = 90
    # Reading one story of a group marks the whole group read: a story told by five
    # outlets is read once.
    read_whole_group: bool = True
    warnings: list[str] = field(default_factory=list, compare=False, repr=False)


_NOT_SAVED = {"warnings"}


def _saved_fields() -> list[str]:
    return [f.name for f in fields(Settings) if f.name not in _NOT_SAVED]


def _checked_value(name: str, value: object, default: object) -> object:
    """The value if it fits the field, else raise ValueError with a readable reason."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("expected a whole number")
        if name == "sentences" and not 1 <= value <= 100:
            raise ValueError("expected a number from 1 to 100")
        if name == "keep_days" and value < 1:
            raise ValueError("expected 1 or more days")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("expected a number")
        number = float(value)
        if name == "threshold" and not (math.isfinite(number) and 0.0 <= number <= 100.0):
            raise ValueError("expected a number from 0 to 100")
        return number
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError("expected text")
        if name == "sort" and value not in SORT_ORDERS:
            raise ValueError(f"expected one of {', '.join(SORT_ORDERS)}")
        return value
    if isinstance(default, dict):
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise ValueError("expected a table of text values")
        return dict(value)
    raise ValueError("unsupported setting")


def settings_from_mapping(data: dict[str, object]) -> Settings:
    """Settings from parsed TOML; bad or unknown entries become warnings, not errors."""
    settings = Settings()
    defaults = Settings()
    for key, value in data.items():
        if key not in _saved_fields():
            settings.warnings.append(f"unknown setting {key!r} ignored")
            continue
        try:
            setattr(settings, key, _checked_value(key, value, getattr(defaults, key)))
        except ValueError as problem:
            settings.warnings.append(f"setting {key!r} ignored: {problem}")
    return settings


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or defaults when there are none or the file cannot be used."""
    target = path if path is not None else config_path()
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as problem:
        return Settings(warnings=[f"cannot read {target}: {problem.strerror or problem}"])
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Settings(warnings=[f"{target} is not UTF-8 text; using default settings"])
    except tomllib.TOMLDecodeError as problem:
        return Settings(warnings=[f"{target} is not valid TOML ({problem}); using defaults"])
    settings = settings_from_mapping(data)
    settings.warnings = [f"{target}: {warning}" for warning in settings.warnings]
    return settings


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _toml_string(text: str) -> str:
    escaped = []
    for char in text:
        if char == "\\":
            escaped.append("\\\\")
        elif char == '"':
            escaped.append('\\"')
        elif char == "\n":
            escaped.append("\\n")
        elif char == "\t":
            escaped.append("\\t")
        elif char == "\r":
            escaped.append("\\r")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _toml_string(key)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("settings cannot hold infinite or NaN numbers")
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    raise TypeError(f"cannot write {type(value).__name__} as a TOML value")


def settings_toml(settings: Settings) -> str:
    """The TOML text for ``settings``: plain values first, then one table per dict."""
    lines: list[str] = []
    tables: list[tuple[str, dict[str, str]]] = []
    for name in _saved_fields():
        value = getattr(settings, name)
        if isinstance(value, dict):
            tables.append((name, value))
        else:
            lines.append(f"{_toml_key(name)} = {_toml_value(value)}")
    for name, table in tables:
        lines.append("")
        lines.append(f"[{_toml_key(name)}]")
        lines.extend(f"{_toml_key(str(k))} = {_toml_value(str(v))}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write ``settings`` atomically (the old file stays intact if writing fails).

    A file the user wrote keeps its comments, layout and any keys this version does not
    know: only values that changed are rewritten, and an unchanged file is not touched.
    """
    target = path if path is not None else config_path()
    text = settings_toml(settings)
    try:
        document = tomlkit.parse(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, TOMLKitError):
        return write_new_file(target, text, force=True)
    if _update_document(document, tomllib.loads(text)):
        write_new_file(target, tomlkit.dumps(document), force=True)
    return target


def _update_document(document: MutableMapping[str, Any], values: Mapping[str, Any]) -> bool:
    """Set in ``document`` the values that differ; True if any did."""
    changed = False
    for key, value in values.items():
        held = document.get(key)
        if isinstance(value, dict) and isinstance(held, MutableMapping):
            for gone in [name for name in held if name not in value]:
                del held[gone]
                changed = True
            changed = _update_document(held, value) or changed
        elif held != value or isinstance(held, bool) != isinstance(value, bool):
            document[key] = value
            changed = True
    return changed
