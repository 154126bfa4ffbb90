"""The knowledge cache: used when safe, invalidated by any change, never a source of errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backcheck.knowledge import cache
from backcheck.knowledge.loading import default_knowledge_path, load_knowledge
from backcheck.knowledge.model import Verdict


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(folder))
    return folder


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "knowledge.yaml"
    path.write_text(default_knowledge_path().read_text(encoding="utf-8"), encoding="utf-8")
    return path


def test_a_second_load_comes_from_the_private_cache(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(tmp_path)
    first = load_knowledge(path)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the knowledge was validated again instead of read from the cache")

    monkeypatch.setattr("backcheck.knowledge.validate.build_knowledge", no_parsing)
    files = list(cache_dir.iterdir())
    assert len(files) == 1
    assert files[0].stat().st_mode & 0o777 == 0o600
    assert cache_dir.stat().st_mode & 0o777 == 0o700
    assert load_knowledge(path) == first


def test_an_edited_file_is_read_afresh(cache_dir: Path, tmp_path: Path) -> None:
    path = _copy(tmp_path)
    load_knowledge(path)
    text = path.read_text(encoding="utf-8").replace(
        "title: Get emergency care now", "title: Go now"
    )
    path.write_text(text, encoding="utf-8")
    assert load_knowledge(path).verdicts[Verdict.EMERGENCY].title == "Go now"


def test_a_broken_or_foreign_cache_is_ignored(cache_dir: Path, tmp_path: Path) -> None:
    path = _copy(tmp_path)
    load_knowledge(path)
    (entry,) = cache_dir.iterdir()
    entry.write_bytes(b"not a pickle")
    assert len(load_knowledge(path).conditions) == 38
    (entry,) = cache_dir.iterdir()
    os.chmod(entry, 0o666)  # writable by others: never unpickled
    assert cache.load_cached(entry.stem.removeprefix("knowledge-")) is None


def test_caching_can_be_switched_off(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.ENV_OFF, "1")
    load_knowledge(_copy(tmp_path))
    assert not cache_dir.exists()


def test_an_unwritable_cache_folder_is_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "sub"))
    assert len(load_knowledge(_copy(tmp_path)).conditions) == 38
