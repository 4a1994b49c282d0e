"""Writing report files: atomically, and without damaging what the path already names.

A regular file (or a new one) is written to a temporary file beside it, then renamed over
it, so an interrupted run leaves the old file or the new one; the old file keeps its mode
(and owner, where the user may set it), and a new file gets the mode any program's output
gets (``0o666`` less the umask). A file the user may not write is refused, as a shell's
``>`` refuses it. A symbolic link is kept: its target is replaced, or created when the link
dangles. A device, a FIFO or a socket is written through, like a shell's ``>``, never
renamed over. A directory, or any error of the system (a missing folder, a name too long, a
full disk, a file-size limit, a read-only file system), is an :class:`OutputError` that
names the path, with no temporary file left behind.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat

from .yamlio import InputError

NEW_FILE_MODE = 0o666  # less the umask, which the system applies when it creates the file
TEMP_NAME = 40  # characters of the target's name kept in the temporary file's name


class OutputError(InputError):
    """A report file that cannot be written: ``PATH: cannot write: REASON`` (exit 2 on the command
    line)."""

    def __init__(self, path: str | os.PathLike, message: str):
        super().__init__(message, os.fsdecode(path))


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path``: see the module's docstring. Raises :class:`OutputError`.

    Text that cannot be encoded (a lone surrogate) is written as its escape, ``\\udce9``.
    """
    data = text.encode("utf-8", "backslashreplace")
    given = os.fspath(path)
    if not given:
        raise OutputError(given, "cannot write: the file name is empty")
    try:
        try:
            st = os.stat(
                given
            )  # through links: /dev/stdout is a link to a pipe with no name of its own
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise OutputError(given, "cannot write: it is a directory")
        if st is not None and not stat.S_ISREG(st.st_mode):
            _write_through(given, data)
            return
        target = (
            os.path.realpath(given) if os.path.islink(given) else given
        )  # keep the link, replace its target
        if st is not None and not os.access(
            target, os.W_OK
        ):  # as a shell's > would: a file kept read-only
            raise OutputError(given, f"cannot write: {os.strerror(errno.EACCES)}")
        else:
            _replace(target, data, st)
    except OSError as e:
        raise OutputError(given, f"cannot write: {e.strerror or e}") from None


def _write_through(target: str, data: bytes) -> None:
    """A device, FIFO or socket: opened for writing and written, as a shell's ``>`` does."""
    fd = os.open(target, os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def _replace(target: str, data: bytes, old: os.stat_result | None) -> None:
    """A temporary file beside ``target``, written, synced, given the old file's mode, renamed over
    it."""
    folder, name = os.path.split(target)
    fd, tmp = _create_temp(folder, name)
    try:
        try:
            if old is not None:
                _keep_owner_and_mode(fd, old)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _create_temp(folder: str, name: str) -> tuple[int, str]:
    """A new file ``.NAME.RANDOM.tmp`` in ``folder``, created with mode 0o666 less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".{name[:TEMP_NAME]}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, NEW_FILE_MODE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder or '.'}")


def _keep_owner_and_mode(fd: int, old: os.stat_result) -> None:
    if hasattr(os, "fchown"):
        try:
            os.fchown(
                fd, old.st_uid, old.st_gid
            )  # only root (or the group's member) may: otherwise keep ours
        except PermissionError:
            pass
    os.fchmod(fd, stat.S_IMODE(old.st_mode))  # after fchown, which clears the set-id bits


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
