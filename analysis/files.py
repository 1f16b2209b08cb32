"""The files we write: folders that are ours alone, safe names, whole files, inert cells.

Four rules, each one function:

- :func:`check_output_folder`: a report goes into a folder that is absent, empty, or a
  previous report of ours (recognised by its ``manifest.json``). A folder holding anything
  else is refused, and no output folder may be, hold or lie inside an input, ``seeds/``
  or the current folder. A previous report that holds files the manifest does not list
  is refused too, unless ``force``: then those files are carried into the new report as
  they are. Nothing we did not write is ever deleted or overwritten.
- :func:`safe_names`: file names made from data (article ids, labels) lose path
  separators, ``..``, control characters and names that Windows reserves, are bounded in
  length and made unique (case-insensitively), so a file can only land where we put it.
- :func:`atomic_path`: a file is written under a temporary name beside its target and
  renamed into place only when complete; an error, Ctrl-C or a full disk leaves the old
  file or none, and an ``OSError`` becomes an :class:`~analysis.errors.OutputError`
  that names the path.
- :func:`inert_cell`: a CSV cell that a spreadsheet would run as a formula (it starts
  with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a number) is
  written with a leading apostrophe, as OWASP advises for CSV files opened in
  spreadsheets. ``raw=True`` (``--raw-csv``) writes cells as they are.

Our temporary folders carry the id of the process that made them, so a later run removes
those of processes that no longer exist (:func:`sweep_stale`), and nothing else.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from analysis.config import SEEDS_DIR
from analysis.errors import OutputError

__all__ = [
    "FORMULA_START",
    "MANIFEST",
    "OutputFolder",
    "atomic_path",
    "check_output_file",
    "check_output_folder",
    "inert_cell",
    "is_our_report",
    "owned_tempdir",
    "replace_folder",
    "safe_names",
    "sweep_stale",
]

#: The file that makes a folder a report of ours.
MANIFEST = "manifest.json"
#: Keys every manifest we write has (older reports included).
_MANIFEST_KEYS = {"outputs", "parameters", "packages"}
#: Longest file name we make from data, in UTF-8 bytes (file systems allow 255; a
#: Chinese character takes 3, and a suffix and a counter must still fit).
MAX_NAME_BYTES = 120
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")
# path separators, characters Windows refuses in names, and every control character
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f-\x9f]')
#: What a cell that a spreadsheet would run as a formula starts with.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
# the temporary folders and files we make: <prefix>-<pid>-<random>
_OWNED = re.compile(r"^(?:analysis-(?:report|kernel)|\..+\.(?:partial|old))-(\d+)-")


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _resolved(path: str | Path) -> Path:
    return Path(os.path.abspath(Path(path).expanduser())).resolve()


def _protected(inputs: Iterable[str | Path]) -> list[tuple[Path, str]]:
    found = [(_resolved(p), "an input") for p in inputs]
    found.append((_resolved(SEEDS_DIR), "seeds/ (the raw inputs, never written)"))
    return found


def _check_not_protected(target: Path, inputs: Iterable[str | Path], what: str) -> None:
    for path, name in _protected(inputs):
        if _within(target, path) or _within(path, target):
            where = "is" if target == path else "lies inside" if _within(target, path) else "holds"
            raise OutputError(
                f"{what} {target}: {where} {name} ({path}); write outside the inputs, "
                "e.g. reports/NAME (nothing was written)"
            )


def check_output_file(
    path: str | Path, *, inputs: Iterable[str | Path] = (), option: str = "-o"
) -> Path:
    """The absolute path of ``-o FILE`` (or of the file of ``option``), checked: never an
    input, never inside an input folder or ``seeds/``, never a folder.

    >>> check_output_file("seeds/x.csv")
    Traceback (most recent call last):
    ...
    analysis.errors.OutputError: -o .../seeds/x.csv: lies inside seeds/ ...
    """
    target = _resolved(path)
    _check_not_protected(target, inputs, option)
    if target.is_dir():
        raise OutputError(f"{option} {target}: is a folder; name a file, e.g. {target / 'out.csv'}")
    return target


def is_our_report(folder: Path) -> dict | None:
    """The manifest of a report we wrote in ``folder``, else None."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not data.keys() >= _MANIFEST_KEYS:
        return None
    if not isinstance(data["outputs"], list):
        return None
    return data


@dataclass
class OutputFolder:
    """A checked output folder: where it is, the mode to give it, and the files of a
    previous report's folder that are not ours (carried into the new one)."""

    path: Path
    mode: int
    previous: bool = False
    foreign: list[Path] = field(default_factory=list)  # relative to ``path``


def _listing(folder: Path) -> list[Path]:
    """Every file, link and empty folder under ``folder``, relative to it."""
    found: list[Path] = []

    def fail(exc: OSError) -> None:
        raise OutputError(
            f"--out {folder}: cannot list {exc.filename} ({exc.strerror}); "
            "choose another folder (nothing was written)"
        )

    for root, dirs, files in os.walk(folder, onerror=fail):
        base = Path(root)
        for name in files:
            found.append((base / name).relative_to(folder))
        for name in list(dirs):
            sub = base / name
            if sub.is_symlink():  # a link to a folder is one entry; never walked into
                found.append(sub.relative_to(folder))
                dirs.remove(name)
            elif not any(sub.iterdir()):
                found.append(sub.relative_to(folder))
    return found


def check_output_folder(
    out: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False
) -> OutputFolder:
    """Check that a report may be written to ``out``; raise :class:`OutputError` (with
    nothing written) when it may not. See the module's rules."""
    target = _resolved(out)
    inputs = list(inputs)
    _check_not_protected(target, inputs, "--out")
    here = _resolved(Path.cwd())
    if _within(here, target):
        what = "is the current folder" if here == target else "holds the current folder"
        raise OutputError(
            f"--out {target}: {what}; a report replaces its folder, so give a new or "
            "empty folder, e.g. reports/NAME (nothing was written)"
        )
    default_mode = 0o777 & ~_umask()
    if not target.exists() and not target.is_symlink():
        return OutputFolder(target, default_mode)
    if not target.is_dir():
        raise OutputError(
            f"--out {target}: is a file, not a folder; give a new or empty folder "
            "(nothing was written)"
        )
    mode = stat.S_IMODE(target.stat().st_mode)
    entries = _listing(target)
    if not entries:
        return OutputFolder(target, mode)
    manifest = is_our_report(target)
    if manifest is None:
        shown = ", ".join(p.as_posix() for p in sorted(entries)[:3])
        more = f" and {len(entries) - 3} more" if len(entries) > 3 else ""
        raise OutputError(
            f"--out {target}: folder holds files that are not a report of ours ({shown}"
            f"{more}); give a new or empty folder (nothing was written, nothing deleted)"
        )
    ours = {MANIFEST, *(str(p) for p in manifest["outputs"])}
    foreign = [p for p in entries if p.as_posix() not in ours and not _inside_ours(p, ours)]
    if foreign and not force:
        shown = ", ".join(p.as_posix() for p in sorted(foreign)[:3])
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        raise OutputError(
            f"--out {target}: a previous report that also holds files we did not write "
            f"({shown}{more}); move them out, or add --force to replace the report and "
            "keep them as they are (nothing was written)"
        )
    return OutputFolder(target, mode, previous=True, foreign=sorted(foreign))


def _inside_ours(path: Path, ours: set[str]) -> bool:
    """An empty folder that held outputs of ours (e.g. ``wordclouds/``)."""
    prefix = path.as_posix() + "/"
    return any(name.startswith(prefix) for name in ours)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def replace_folder(folder: OutputFolder, work: Path) -> None:
    """Put the finished ``work`` folder in the place of ``folder``: the previous report
    (if any) is renamed aside, ``work`` renamed into place, the foreign files moved
    across, and only then the previous report's own files deleted."""
    target = folder.path
    new_paths = {p.relative_to(work).as_posix() for p in work.rglob("*")}
    clash = [p.as_posix() for p in folder.foreign if p.as_posix() in new_paths]
    if clash:
        raise OutputError(
            f"--out {target}: the new report would overwrite {', '.join(clash[:3])}, which "
            "we did not write; move it out and run again (nothing was written)"
        )
    os.chmod(work, folder.mode)
    old = None
    if target.exists() or target.is_symlink():
        if not folder.previous:  # empty when checked: remove it only if still empty
            try:
                target.rmdir()
            except OSError:
                raise OutputError(
                    f"--out {target}: files appeared in it while the report was built; "
                    "nothing was written or deleted there"
                ) from None
        else:
            old = target.with_name(f".{target.name}.old-{os.getpid()}-{os.urandom(3).hex()}")
            target.rename(old)
    work.rename(target)
    if old is None:
        return
    for relative in folder.foreign:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        (old / relative).rename(destination)
    shutil.rmtree(old, ignore_errors=True)


def safe_names(values: Sequence[object], *, fallback: str = "item") -> list[str]:
    """A file name for each value: no separators, ``..``, control characters or reserved
    names, at most :data:`MAX_NAME_BYTES` bytes, and no two alike (ignoring case, as
    macOS and Windows do).

    >>> safe_names(["../../x", "a/b", "dot.1", "dot.1", "CON", "", "Dot.1"])
    ['x', 'a_b', 'dot.1', 'dot.1-2', '_CON', 'item', 'Dot.1-3']
    """
    taken: set[str] = set()
    out = []
    for value in values:
        base = _safe_name(str(value) if value is not None else "", fallback)
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = f"{base}-{n}"
        taken.add(name.casefold())
        out.append(name)
    return out


def _safe_name(text: str, fallback: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # each path part kept, joined: "a/b" is "a_b", "../../x" is "x"
    parts = [p for p in re.split(r"[\\/]", text) if p.strip(" .")]
    text = _UNSAFE.sub("_", "_".join(parts))
    text = re.sub(r"_{2,}", "_", text).strip(" .") or fallback
    if _RESERVED.match(text):
        text = "_" + text
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_NAME_BYTES:
        text = encoded[:MAX_NAME_BYTES].decode("utf-8", errors="ignore").rstrip(" .")
    return text


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed to ``path`` when the block
    ends without error, removed otherwise. An ``OSError`` (a full disk, a read-only
    folder) becomes an :class:`OutputError` that names ``path``.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_path(folder / "a.txt") as tmp:
    ...     _ = tmp.write_text("好", encoding="utf-8")
    >>> sorted(p.name for p in folder.iterdir()), (folder / "a.txt").read_text(encoding="utf-8")
    (['a.txt'], '好')
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            prefix=f".{path.name[:60]}.partial-{os.getpid()}-", dir=path.parent
        )
        os.close(handle)
    except OSError as exc:
        raise _write_error(path, exc) from None
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_error(path, exc) from None
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, KeyboardInterrupt):
            exc.add_note(f"{path} was not written; a file there before is as it was")
        raise


def _write_error(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or str(exc)
    return OutputError(
        f"{path}: could not write it ({reason}); nothing half-written was kept there. "
        "Free some space or choose a folder you can write to"
    )


def inert_cell(value: object, *, raw: bool = False) -> object:
    """``value`` as a spreadsheet will show it, never run it (see the module's rules).

    >>> [inert_cell(v) for v in ["=1+1", "-3.5", "-x", "@a", "工资", 5]]
    ["'=1+1", '-3.5', "'-x", "'@a", '工资', 5]
    """
    if raw or not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


@contextlib.contextmanager
def owned_tempdir(prefix: str, *, dir: Path | None = None) -> Iterator[Path]:
    """A temporary folder named ``<prefix>-<pid>-<random>``, removed when the block ends;
    one left by a killed process is removed by a later :func:`sweep_stale`."""
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}-{os.getpid()}-", dir=dir))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def sweep_stale(folder: Path | None = None, *, name: str | None = None) -> list[Path]:
    """Remove what our killed runs left: ``analysis-report-<pid>-*`` and
    ``analysis-kernel-<pid>-*`` in the temporary folder (``folder`` None), or, beside an
    output folder called ``name``, its ``.<name>.partial-<pid>-*`` builds and
    ``.<name>.old-<pid>-*`` copies, for pids that no longer run. A stale ``.old`` copy is
    a previous report that was being replaced: when the report itself is missing it is
    put back, never deleted. Returns what was removed."""
    where = Path(tempfile.gettempdir()) if folder is None else folder
    removed = []
    try:
        entries = list(where.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _OWNED.match(entry.name)
        if match is None or _alive(int(match.group(1))):
            continue
        if folder is not None:
            if name is None or not entry.name.startswith(f".{name}."):
                continue
            target = folder / name
            if ".old-" in entry.name and not target.exists():
                with contextlib.suppress(OSError):
                    entry.rename(target)
                continue
        elif not entry.name.startswith("analysis-"):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed
