"""Find and load the knowledge: the shipped file or another, through the cache."""

from __future__ import annotations

from pathlib import Path

from backcheck.errors import InputError, KnowledgeError
from backcheck.knowledge import cache
from backcheck.knowledge.model import Knowledge
from backcheck.textfile import MAX_KNOWLEDGE_FILE_BYTES, parse_text, read_text


def default_knowledge_path() -> Path:
    """The shipped knowledge file: inside the wheel, or data/ in a source checkout."""
    package_dir = Path(__file__).resolve().parent.parent
    bundled = package_dir / "data" / "knowledge.yaml"
    if bundled.is_file():
        return bundled
    return package_dir.parent / "data" / "knowledge.yaml"


def load_knowledge(path: Path | None = None) -> Knowledge:
    """Read, parse and validate a knowledge file (the shipped one by default)."""
    path = path or default_knowledge_path()
    label = str(path)
    try:
        text = read_text(path, label=label, limit=MAX_KNOWLEDGE_FILE_BYTES)
    except InputError as exc:
        raise KnowledgeError(label, [str(exc).removeprefix(f"{label}: ")]) from None
    key = cache.cache_key(label, text)
    cached = cache.load_cached(key)
    if cached is not None:
        return cached
    from backcheck.knowledge.validate import build_knowledge  # only for a new or changed file

    try:
        raw = parse_text(text, json_first=path.suffix == ".json")
    except ValueError as exc:
        raise KnowledgeError(label, [str(exc)]) from None
    knowledge = build_knowledge(raw, source=label)
    cache.store(key, knowledge)
    return knowledge
