"""File I/O of every command: bounded reads and atomic writes.

* :func:`read_limited` reads at most ``limit + 1`` bytes from a path or an open stream, whatever
  the file is (a regular file, ``/dev/zero``, a pipe, a FIFO, standard input), so no input can
  make a command read more than its ``--max-file-size``; a regular file larger than the limit is
  refused from its ``stat`` size before it is opened.
* :func:`atomic_write` writes to a temporary file in the target's directory, fsyncs it and
  renames it over the target: a kill or a full disk leaves the previous file intact and no
  partial file behind (the temporary file is removed on failure).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["InputTooLarge", "atomic_open", "atomic_write", "read_limited", "same_file"]

_CHUNK = 1024 * 1024


class InputTooLarge(Exception):
    """The input has more than ``limit`` bytes (``size`` when known from ``stat``)."""

    def __init__(self, size: int | None, limit: int) -> None:
        super().__init__(size, limit)
        self.size = size
        self.limit = limit


def _read_stream(stream: BinaryIO, limit: int) -> bytes:
    """At most ``limit + 1`` bytes, in chunks (a pipe may return less than asked per read)."""
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = stream.read(min(remaining, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_limited(source: Path | BinaryIO, limit: int) -> bytes:
    """The bytes of ``source`` (a path or an open binary stream), at most ``limit`` of them.

    Raises:
        InputTooLarge: the input has more than ``limit`` bytes.
        OSError: the input cannot be opened or read.
    """
    if isinstance(source, Path):
        with source.open("rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISREG(info.st_mode) and info.st_size > limit:
                raise InputTooLarge(info.st_size, limit)
            data = _read_stream(handle, limit)
    else:
        data = _read_stream(source, limit)
    if len(data) > limit:
        raise InputTooLarge(None, limit)
    return data


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name the same file (the same inode, or the same resolved path)."""
    try:
        return os.path.samefile(first, second)
    except OSError:  # one does not exist yet
        return first.resolve() == second.resolve()


def _new_file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file (0o666 less the umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(
    path: Path, data: bytes, *, exclusive: bool = False, mode: int | None = None
) -> None:
    """Replace ``path`` with ``data`` atomically (temporary file, fsync, rename).

    A symbolic link is written through (its target is replaced). A target that exists and is
    not a regular file (``/dev/stdout``, a FIFO) cannot be renamed over: it is written in place.

    Args:
        path: The file to write.
        data: Its new content.
        exclusive: Refuse (``FileExistsError``) when ``path`` exists; the file appears with its
            whole content or not at all.
        mode: Permission bits of the file (default: those of the file replaced, else
            ``0o666`` less the umask).

    Raises:
        OSError: the file cannot be written; the target is then unchanged.
    """
    target = path.resolve() if path.is_symlink() else path
    try:
        current = target.stat()
    except FileNotFoundError:
        current = None
    if current is not None and exclusive:
        raise FileExistsError(17, "File exists", str(path))
    if current is not None and not stat.S_ISREG(current.st_mode):
        with target.open("wb") as handle:
            handle.write(data)
        return
    if mode is None:
        mode = stat.S_IMODE(current.st_mode) if current is not None else _new_file_mode()
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        if exclusive:
            _link_exclusive(Path(temporary), target, data, mode)
            os.unlink(temporary)
        else:
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(target.parent)


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """A binary handle whose content replaces ``path`` atomically when the block ends.

    For outputs written as they are produced (a large summary): the content goes to a
    temporary file in the target's directory, which is fsynced and renamed over ``path`` only
    when the block ends without an exception; otherwise it is removed and ``path`` is unchanged.
    ``path`` must be a regular file or not exist.

    Raises:
        OSError: the file cannot be written; the target is then unchanged.
    """
    current = path.stat() if path.exists() else None
    mode = stat.S_IMODE(current.st_mode) if current is not None else _new_file_mode()
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(path.parent)


def _link_exclusive(temporary: Path, target: Path, data: bytes, mode: int) -> None:
    """Give the written temporary file the name ``target`` unless that name exists.

    A hard link is atomic and exclusive; where the file system has no hard links, the target
    is created exclusively and written, and removed again if writing fails.
    """
    try:
        os.link(temporary, target)
        return
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS):
            raise
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def _sync_directory(directory: Path) -> None:
    """Make the rename durable (not supported on every platform and file system)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
