"""Score explanations: a tree whose root value is the document's score.

Each node has a ``value``, a one-line ``description`` and ``details`` (child nodes); leaves for
terms carry the BM25F inputs in ``info`` (field, tf, df, idf, field length, average length,
normalized tf, contribution). ``str(explanation)`` prints an indented tree; ``to_dict()`` gives
plain JSON-serializable data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Explanation"]


@dataclass
class Explanation:
    value: float
    description: str
    details: list[Explanation] = field(default_factory=list)
    matched: bool = True
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return self.value

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "description": self.description,
            "matched": self.matched,
        }
        if self.info:
            out["info"] = dict(self.info)
        if self.details:
            out["details"] = [d.to_dict() for d in self.details]
        return out

    def _lines(self, depth: int, out: list[str]) -> None:
        mark = "" if self.matched else " (no match)"
        out.append(f"{'  ' * depth}{self.value:.6g} = {self.description}{mark}")
        for d in self.details:
            d._lines(depth + 1, out)

    def __str__(self) -> str:
        out: list[str] = []
        self._lines(0, out)
        return "\n".join(out)

    def find(self, **info: Any) -> list[Explanation]:
        """Nodes (this one included) whose ``info`` holds all the given key/value pairs."""
        found = []
        if all(self.info.get(k) == v for k, v in info.items()):
            found.append(self)
        for d in self.details:
            found.extend(d.find(**info))
        return found
