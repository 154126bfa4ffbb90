"""The cache cannot be turned against its user: planted links, FIFOs, other people's files
or folders and loose permissions are skipped, never followed, waited on or unpickled."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from backcheck.knowledge import cache
from backcheck.knowledge.loading import load_knowledge
from backcheck.knowledge.model import Knowledge
from tests.conftest import ROOT

KEY = "0123456789abcdef1"
AS_ROOT = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="giving a file to another user (os.chown) needs root, as in CI",
)
OTHER_UID = 4242


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(path))
    return path


def _entry(folder: Path, key: str = KEY) -> Path:
    return folder / f"knowledge-{key}.pickle"


def _stored(folder: Path, knowledge: Knowledge) -> Path:
    cache.store(KEY, knowledge)
    entry = _entry(folder)
    assert cache.load_cached(KEY) == knowledge  # the layout works before it is spoiled
    return entry


def test_a_planted_symlink_is_not_followed(
    folder: Path, tmp_path: Path, knowledge: Knowledge
) -> None:
    entry = _stored(folder, knowledge)
    elsewhere = tmp_path / "elsewhere.pickle"
    entry.rename(elsewhere)
    entry.symlink_to(elsewhere)  # a valid pickle, but reached through a link
    assert cache.load_cached(KEY) is None


def test_a_planted_fifo_is_skipped_without_waiting(folder: Path) -> None:
    folder.mkdir(mode=0o700)
    os.mkfifo(_entry(folder), 0o600)
    found: list[object] = []
    reader = threading.Thread(target=lambda: found.append(cache.load_cached(KEY)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert not reader.is_alive(), "the cache waited on a FIFO"
    assert found == [None]


def test_an_entry_writable_by_others_is_not_unpickled(folder: Path, knowledge: Knowledge) -> None:
    entry = _stored(folder, knowledge)
    for mode in (0o620, 0o602):
        os.chmod(entry, mode)
        assert cache.load_cached(KEY) is None


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777], ids=["group", "others", "all"])
def test_a_folder_writable_by_others_is_neither_read_nor_written(
    folder: Path, knowledge: Knowledge, mode: int
) -> None:
    entry = _stored(folder, knowledge)
    os.chmod(folder, mode)
    assert cache.load_cached(KEY) is None
    entry.unlink()
    cache.store(KEY, knowledge)
    assert not entry.exists()


def test_a_folder_reached_through_a_symlink_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, knowledge: Knowledge
) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real)
    monkeypatch.setenv(cache.ENV_DIR, str(link))
    cache.store(KEY, knowledge)
    assert list(real.iterdir()) == []
    monkeypatch.setenv(cache.ENV_DIR, str(real))
    cache.store(KEY, knowledge)
    monkeypatch.setenv(cache.ENV_DIR, str(link))
    assert cache.load_cached(KEY) is None


@AS_ROOT
def test_an_entry_owned_by_another_user_is_not_unpickled(
    folder: Path, knowledge: Knowledge
) -> None:
    entry = _stored(folder, knowledge)
    os.chown(entry, OTHER_UID, OTHER_UID)
    assert cache.load_cached(KEY) is None


@AS_ROOT
def test_a_folder_owned_by_another_user_is_neither_read_nor_written(
    folder: Path, knowledge: Knowledge
) -> None:
    entry = _stored(folder, knowledge)
    os.chown(folder, OTHER_UID, OTHER_UID)
    assert cache.load_cached(KEY) is None
    entry.unlink()
    cache.store(KEY, knowledge)
    assert not entry.exists()


def test_the_key_covers_every_module_and_the_pyyaml_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    package = {str(p.resolve()) for p in (ROOT / "backcheck").rglob("*.py")}
    assert set(cache._code_files()) == package
    import yaml

    assert yaml.__version__ in cache._yaml_version()
    before = cache.cache_key("k.yaml", "text")
    monkeypatch.setattr(cache, "_yaml_version", lambda: "__version__ = '99.0'")
    assert cache.cache_key("k.yaml", "text") != before


def test_an_edit_to_any_module_gives_a_new_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "backcheck_module.py"
    module.write_text("x = 1\n")
    monkeypatch.setattr(cache, "_code_files", lambda: [str(module)])
    before = cache.cache_key("k.yaml", "text")
    module.write_text("x = 22\n")
    assert cache.cache_key("k.yaml", "text") != before


def test_old_entries_are_pruned(folder: Path, knowledge: Knowledge) -> None:
    folder.mkdir(mode=0o700)
    for number in range(20):
        old = _entry(folder, f"old{number:02}")
        old.write_bytes(b"old")
        os.utime(old, (1_000_000 + number, 1_000_000 + number))
    leftover = folder / ".abandoned.tmp"
    leftover.write_bytes(b"half")
    os.utime(leftover, (1_000_000, 1_000_000))
    cache.store(KEY, knowledge)
    names = sorted(p.name for p in folder.iterdir())
    newest = [_entry(folder, f"old{n:02}").name for n in range(20 - cache.KEEP + 1, 20)]
    assert names == sorted([_entry(folder).name, *newest])


def test_a_hostile_cache_never_changes_what_is_loaded(
    folder: Path, tmp_path: Path, knowledge: Knowledge
) -> None:
    # A planted entry for the shipped knowledge's own key, reached through a link, with a
    # knowledge object that says something else: the real file is parsed instead.
    load_knowledge()
    (entry,) = folder.iterdir()
    key = entry.name.removeprefix("knowledge-").removesuffix(".pickle")
    fake = knowledge._replace(fingerprint="planted")
    cache.store("planted", fake)
    entry.unlink()
    entry.symlink_to(_entry(folder, "planted"))
    assert cache.load_cached(key) is None
    assert load_knowledge().fingerprint == knowledge.fingerprint
