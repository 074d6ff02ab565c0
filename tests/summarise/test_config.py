"""Settings: defaults when nothing is saved, round trips, and no crash on a bad file."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from summarise.config import (
    Settings,
    cache_dir,
    config_dir,
    config_path,
    data_dir,
    load_settings,
    save_settings,
)
from summarise.grouping import DEFAULT_THRESHOLD


@pytest.fixture
def config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config"
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(folder))
    return folder


def test_environment_variables_move_every_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSREADER_CONFIG_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("NEWSREADER_CACHE_DIR", str(tmp_path / "k"))
    monkeypatch.setenv("NEWSREADER_DATA_DIR", str(tmp_path / "d"))
    assert (config_dir(), cache_dir(), data_dir()) == (
        tmp_path / "c",
        tmp_path / "k",
        tmp_path / "d",
    )
    assert config_path() == tmp_path / "c" / "config.toml"


def test_default_folders_are_per_user_and_named_for_the_app(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("NEWSREADER_CONFIG_DIR", "NEWSREADER_CACHE_DIR", "NEWSREADER_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    for folder in (config_dir(), cache_dir(), data_dir()):
        assert "newsreader" in folder.parts


def test_missing_file_gives_defaults_without_warning(config_folder: Path) -> None:
    settings = load_settings()
    assert settings == Settings()
    assert settings.threshold == DEFAULT_THRESHOLD
    assert settings.algorithm == "news" and settings.sentences == 3
    assert settings.warnings == []
    assert not config_folder.exists()


def test_saved_settings_come_back_unchanged(config_folder: Path) -> None:
    settings = Settings(
        algorithm="lexrank",
        sentences=5,
        threshold=42.5,
        model="en_core_web_sm",
        export_dir='C:\\Users\\me\\"news"',
        theme="nord",
        keymap={"app.quit": "ctrl+q,q", "next article": "j"},
        last_article="folder/ünïcode story.txt#3",
        sort="source",
        grouping=False,
    )
    path = save_settings(settings)
    assert path == config_folder / "config.toml"
    assert tomllib.loads(path.read_text(encoding="utf-8"))["keymap"]["app.quit"] == "ctrl+q,q"
    assert load_settings() == settings


def test_broken_toml_gives_defaults_and_a_warning(config_folder: Path) -> None:
    config_folder.mkdir()
    (config_folder / "config.toml").write_text("algorithm = 'lexrank\nsentences = [", "utf-8")
    settings = load_settings()
    assert settings == Settings()
    assert len(settings.warnings) == 1 and "config.toml" in settings.warnings[0]


def test_binary_file_gives_defaults_and_a_warning(config_folder: Path) -> None:
    config_folder.mkdir()
    (config_folder / "config.toml").write_bytes(b"\xff\xfe\x00\x01binary")
    settings = load_settings()
    assert settings == Settings() and settings.warnings


def test_bad_values_are_ignored_one_by_one(config_folder: Path) -> None:
    config_folder.mkdir()
    (config_folder / "config.toml").write_text(
        'algorithm = "textrank"\nsentences = "many"\nthreshold = 250\n'
        'grouping = "yes"\nsort = "random"\ncolour = "red"\n[keymap]\nquit = 3\n',
        "utf-8",
    )
    settings = load_settings()
    assert settings.algorithm == "textrank"
    assert (settings.sentences, settings.threshold, settings.grouping, settings.sort) == (
        3,
        DEFAULT_THRESHOLD,
        True,
        "date",
    )
    assert settings.keymap == {}
    warned = " ".join(settings.warnings)
    for name in ("sentences", "threshold", "grouping", "sort", "colour", "keymap"):
        assert name in warned


def test_saving_replaces_the_old_file_whole(config_folder: Path) -> None:
    save_settings(Settings(theme="a" * 5000))
    save_settings(Settings(theme="short"))
    assert load_settings().theme == "short"
    assert [p.name for p in config_folder.iterdir()] == ["config.toml"]


def test_control_characters_survive_a_round_trip(config_folder: Path) -> None:
    settings = Settings(last_article="line\nbreak\ttab\x01bell\x7f")
    save_settings(settings)
    assert load_settings().last_article == settings.last_article


HAND_WRITTEN = """\
# my settings: keep this comment
export_dir = "/home/me/news"   # where exports go
sentences = 4
future_option = "kept"

[keymap]
"read.toggle" = "x"   # x marks read
"""


def test_a_hand_written_config_keeps_its_comments_when_settings_change(
    config_folder: Path,
) -> None:
    config_folder.mkdir()
    path = config_folder / "config.toml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    settings = load_settings()
    settings.sort = "title"
    settings.sentences = 6
    save_settings(settings)
    text = path.read_text(encoding="utf-8")
    for kept in (
        "# my settings: keep this comment",
        'export_dir = "/home/me/news"   # where exports go',
        'future_option = "kept"',
        '"read.toggle" = "x"   # x marks read',
    ):
        assert kept in text
    assert load_settings().sentences == 6
    assert load_settings().sort == "title"


def test_saving_unchanged_settings_leaves_the_file_as_it_was(config_folder: Path) -> None:
    path = config_folder / "config.toml"
    save_settings(Settings(sentences=5))
    path.write_text(path.read_text(encoding="utf-8") + "# a note of mine\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    save_settings(load_settings())
    assert path.read_text(encoding="utf-8") == before
