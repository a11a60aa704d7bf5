"""Which parts of query assistance run: per index (the manifest's ``"assist"`` entry) and per query.

A part runs only when both the index and the query leave it on (the default everywhere):

=========  ==========================================================================================
part       what it does
=========  ==========================================================================================
pinyin     a Latin word that reads as pinyin also matches the index's Han words with that reading
typos      a Latin word the index does not hold matches its closest index terms (1-2 edits), and a
           Han word typed with a wrong homophone character matches the word it sounds like
suggest    ``results.suggestion``: a corrected query when a word finds nothing (did-you-mean)
fuzzy      the ``~`` syntax: ``term~1``, ``term~2`` and sloppy phrases ``"a b"~3``; off, ``~``
           raises QueryError
complete   ``Index.complete()``; off, it returns ``[]``
=========  ==========================================================================================
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from searchlib.errors import ArgumentError, ArgumentTypeError

__all__ = ["ALL_OFF", "AssistOptions", "DEFAULT", "PARTS", "resolve", "settings_from_manifest"]


@dataclass(frozen=True)
class AssistOptions:
    pinyin: bool = True
    typos: bool = True
    suggest: bool = True
    fuzzy: bool = True
    complete: bool = True

    def to_json(self) -> dict[str, bool]:
        return asdict(self)

    def __and__(self, other: AssistOptions) -> AssistOptions:
        if other is DEFAULT or other == self:
            return self
        return AssistOptions(**{f: getattr(self, f) and getattr(other, f) for f in PARTS})

    @property
    def any_automatic(self) -> bool:
        """Whether anything runs without being asked for in the query syntax."""
        return self.pinyin or self.typos or self.suggest


PARTS: tuple[str, ...] = tuple(f.name for f in fields(AssistOptions))
DEFAULT = AssistOptions()
ALL_OFF = AssistOptions(**{p: False for p in PARTS})


def _from_mapping(value: Mapping[str, Any], base: AssistOptions, what: str) -> AssistOptions:
    unknown = [k for k in value if k not in PARTS]
    if unknown:
        raise ArgumentError(f"unknown {what} part {unknown[0]!r}; parts: {', '.join(PARTS)}")
    for k, v in value.items():
        if not isinstance(v, bool):
            raise ArgumentTypeError(f"{what} {k!r} must be True or False, got {v!r}")
    return replace(base, **dict(value))


def resolve(value: bool | Mapping[str, Any] | AssistOptions | None, what: str = "assist") -> AssistOptions:
    """``True``/None: everything on; ``False``: everything off; a mapping turns parts off
    (``{"pinyin": False}``); an :class:`AssistOptions` as it is."""
    if value is None or value is True:
        return DEFAULT
    if value is False:
        return ALL_OFF
    if isinstance(value, AssistOptions):
        return value
    if isinstance(value, Mapping):
        return _from_mapping(value, DEFAULT, what)
    raise ArgumentTypeError(f"{what} must be True, False or a dict of parts ({', '.join(PARTS)}), got {value!r}")


def settings_from_manifest(manifest: Mapping[str, Any] | None) -> AssistOptions:
    """The index-level settings recorded in a manifest (absent: everything on)."""
    raw = (manifest or {}).get("assist")
    if not isinstance(raw, Mapping):
        return DEFAULT
    return AssistOptions(**{p: raw.get(p) is not False for p in PARTS})
