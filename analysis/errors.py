"""The failures a user can do something about, as exception classes.

Every expected failure of the package is an :class:`AnalysisError`: its message is one
line that names the file, the option or the input at fault and says what to do. The
command line prints it as ``error: <message>`` and exits with status 2; notebooks show
the same message. Anything else that escapes is a bug (``python -m analysis --debug``
shows its traceback).

>>> issubclass(InputError, AnalysisError), issubclass(NotEnoughDataError, ValueError)
(True, True)
"""

from __future__ import annotations

__all__ = ["AnalysisError", "InputError", "NotEnoughDataError", "OptionError", "OutputError"]


class AnalysisError(Exception):
    """An expected failure; the message says what is wrong and what to do."""


class InputError(AnalysisError, ValueError):
    """A file or folder that cannot be read as input; the message names it and the fix."""


class NotEnoughDataError(AnalysisError, ValueError):
    """The input is too small for a method (too few articles, paragraphs or words)."""


class OptionError(AnalysisError, ValueError):
    """An option or environment variable has a value that cannot be used."""


class OutputError(AnalysisError):
    """An output file or folder that may not or cannot be written (it holds a user's
    files, lies inside an input, is read-only or full); the message names it and the fix,
    and says what was left as it was."""
