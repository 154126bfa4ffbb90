"""Find and load the knowledge: the shipped file or another, through the cache."""

from __future__ import annotations

from pathlib import Path

from backcheck.errors import InputError, KnowledgeError
from backcheck.knowledge import cache
from backcheck.knowledge.model import Knowledge
from backcheck.textfile import MAX_KNOWLEDGE_FILE_BYTES, parse_text, read_text

SAFETY_NET_NAME = "safety_net.yaml"


def default_knowledge_path() -> Path:
    """The shipped knowledge file: inside the wheel, or data/ in a source checkout."""
    package_dir = Path(__file__).resolve().parent.parent
    bundled = package_dir / "data" / "knowledge.yaml"
    if bundled.is_file():
        return bundled
    return package_dir.parent / "data" / "knowledge.yaml"


def safety_net_path(knowledge_path: Path) -> tuple[Path, bool]:
    """The safety net for a knowledge file: the one beside it (checked strictly), else the
    shipped one (checked only against the ids the knowledge has)."""
    beside = knowledge_path.parent / SAFETY_NET_NAME
    if beside.is_file():
        return beside, True
    return default_knowledge_path().parent / SAFETY_NET_NAME, False


def _read(path: Path) -> str:
    label = str(path)
    try:
        return read_text(path, label=label, limit=MAX_KNOWLEDGE_FILE_BYTES)
    except InputError as exc:
        raise KnowledgeError(label, [str(exc).removeprefix(f"{label}: ")]) from None


def _parse(path: Path, text: str) -> object:
    try:
        return parse_text(text, json_first=path.suffix == ".json")
    except ValueError as exc:
        raise KnowledgeError(str(path), [str(exc)]) from None


def load_knowledge(path: Path | None = None) -> Knowledge:
    """Read, parse and validate a knowledge file (the shipped one by default) and its safety net."""
    path = path or default_knowledge_path()
    label = str(path)
    text = _read(path)
    net_path, strict = safety_net_path(path)
    net_text = _read(net_path)
    key = cache.cache_key(label, f"{text}\0{net_path}\0{strict}\0{net_text}")
    cached = cache.load_cached(key)
    if cached is not None:
        return cached
    from backcheck.knowledge.safetynet import build_safety_net
    from backcheck.knowledge.validate import build_knowledge  # only for a new or changed file

    knowledge = build_knowledge(_parse(path, text), source=label)
    net = build_safety_net(
        _parse(net_path, net_text), knowledge, source=str(net_path), strict=strict
    )
    import hashlib

    digest = hashlib.sha256(f"{text}\0{net_text}".encode("utf-8", "surrogatepass")).hexdigest()
    knowledge = knowledge._replace(safety_net=net, fingerprint=digest[:12])
    cache.store(key, knowledge)
    return knowledge
