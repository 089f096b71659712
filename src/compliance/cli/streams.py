r"""Output streams of every command: one text writer that cannot fail on content, streamed JSON.

* :class:`SafeText` wraps standard output and standard error (and any text stream a library
  caller passes in). Text that the stream's encoding cannot carry, such as a lone surrogate
  (``"\ud800"``, which JSON allows in a string and which a report echoes), is written as a
  backslash escape instead of raising ``UnicodeEncodeError``: one bad file never stops a batch.
  A failing stream (``> /dev/full``, a closed pipe) raises :class:`OutputError`, which the entry
  point turns into a clear message and exit code 2.
* :class:`JsonReportStream` writes a JSON report (``{..., "files": [...], "summary": {...}}``)
  entry by entry as each file is done, so memory stays flat however many files a batch has.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from typing import Any, TextIO, cast

__all__ = ["JsonReportStream", "OutputError", "SafeText", "printable", "safe_text"]

_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    r"""``text`` with each lone surrogate written as its ``\uXXXX`` escape.

    >>> printable("a\ud800b")
    'a\\ud800b'

    In a JSON string the escape reads back as the same character.
    """
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class OutputError(OSError):
    """Writing to an output stream failed (no space, closed pipe ...)."""

    def __init__(self, name: str, cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or type(cause).__name__)
        self.name = name


class SafeText(io.TextIOBase):
    """A text stream that escapes what its encoding cannot carry; write errors: OutputError."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    @property
    def stream(self) -> TextIO:
        """The wrapped stream."""
        return self._stream

    @property
    def encoding(self) -> str:  # type: ignore[override]
        """The wrapped stream's encoding."""
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        """What happens to text the encoding cannot carry."""
        return "backslashreplace"

    @property
    def name(self) -> str:
        """The wrapped stream's name."""
        return str(getattr(self._stream, "name", "<output>"))

    def write(self, text: str) -> int:
        """Write ``text``, escaping what the encoding cannot carry."""
        text = printable(text)
        try:
            try:
                return self._stream.write(text)
            except UnicodeEncodeError:
                encoding = self.encoding
                return self._stream.write(
                    text.encode(encoding, "backslashreplace").decode(encoding)
                )
        except OSError as exc:
            raise OutputError(self.name, exc) from exc

    def writelines(self, lines: Iterable[str]) -> None:  # type: ignore[override]
        """Write each line."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Flush the wrapped stream."""
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputError(self.name, exc) from exc

    def isatty(self) -> bool:
        """Whether the wrapped stream is a terminal."""
        return self._stream.isatty()

    def fileno(self) -> int:
        """The wrapped stream's descriptor."""
        return self._stream.fileno()

    def writable(self) -> bool:
        """Always writable."""
        return True

    def readable(self) -> bool:
        """Never readable."""
        return False

    def close(self) -> None:
        """Leave the wrapped stream open (it belongs to the caller)."""

    @property
    def closed(self) -> bool:
        """Whether the wrapped stream is closed."""
        return bool(self._stream.closed)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def safe_text(stream: TextIO) -> TextIO:
    """``stream`` wrapped in :class:`SafeText` (once)."""
    return stream if isinstance(stream, SafeText) else cast(TextIO, SafeText(stream))


def _dumps(value: Any, indent: int) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + " " * indent)  # JSON strings never hold a raw newline


class JsonReportStream:
    """``{head..., "files": [entry, ...], tail...}`` written as it goes (``indent=2`` layout).

    The document is valid JSON once :meth:`finish` has run, and equal to ``json.dumps`` of the
    same dictionary (head keys, then ``files``, then tail keys).
    """

    def __init__(self, out: TextIO, head: dict[str, Any], key: str = "files") -> None:
        self.out = out
        self.count = 0
        out.write("{\n")
        for name, value in head.items():
            out.write(f"  {json.dumps(name)}: {_dumps(value, 2)},\n")
        out.write(f"  {json.dumps(key)}: [")

    def add(self, entry: Any) -> None:
        """Write one entry of the array."""
        self.out.write(("," if self.count else "") + "\n    " + _dumps(entry, 4))
        self.count += 1

    def finish(self, tail: dict[str, Any]) -> None:
        """Close the array, write the tail members and close the document."""
        self.out.write("\n  ]" if self.count else "]")
        for name, value in tail.items():
            self.out.write(f",\n  {json.dumps(name)}: {_dumps(value, 2)}")
        self.out.write("\n}\n")
