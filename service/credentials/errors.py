"""The error raised for a badge or catalogue document that cannot be read, with where the fault is."""

from __future__ import annotations

from typing import Any


class FormatError(ValueError):
    """A malformed document: the message and its location (JSON pointer, text line/column or byte offset)."""

    def __init__(self, message: str, pointer: str = "", *, line: int | None = None, column: int | None = None,
                 offset: int | None = None, kind: str = "invalid_badge"):
        super().__init__(message)
        self.message, self.pointer, self.kind = message, pointer, kind
        self.line, self.column, self.offset = line, column, offset

    def within(self, parent: str) -> FormatError:
        """The same fault located inside a parent pointer."""
        self.pointer = parent + self.pointer
        return self

    def where(self) -> dict[str, Any]:
        """The location fields that are known."""
        spots = {"pointer": self.pointer, "line": self.line, "column": self.column, "offset": self.offset}
        return {k: v for k, v in spots.items() if v not in (None, "")}

    def located(self) -> str:
        """The message with its text or byte location appended (the pointer travels separately)."""
        if self.line is not None:
            return f"{self.message} (line {self.line}, column {self.column})"
        if self.offset is not None:
            return f"{self.message} (byte {self.offset})"
        return self.message


def escape(part: str | int) -> str:
    """One JSON Pointer reference token (RFC 6901)."""
    return "/" + str(part).replace("~", "~0").replace("/", "~1")


def unescape(pointer: str) -> tuple[str, ...]:
    """The reference tokens of a JSON Pointer."""
    if not pointer:
        return ()
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/"))
