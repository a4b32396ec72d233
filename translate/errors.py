"""Typed errors raised by the dewire library.

The library raises :class:`DewireError` subclasses whose message is one clear
sentence naming the file, key or model at fault. Only :mod:`translate.cli`
prints them (one line on stderr, non-zero exit; ``--debug`` shows the
traceback). The library never calls ``sys.exit`` or ``print``.
"""

from __future__ import annotations


class DewireError(Exception):
    """Base class of every error dewire reports to the user.

    ``str(error)`` is a single line suitable for printing as-is.
    ``exit_code`` is the process exit status the CLI uses.
    """

    exit_code: int = 1


class InputError(DewireError):
    """The input cannot be read: missing, a directory, binary, empty, too big, undecodable."""

    exit_code = 2


class OutputError(DewireError):
    """An output file or folder cannot be written (permissions, disk full …)."""

    exit_code = 3


class ConfigError(DewireError):
    """models.yaml (or a command-line override) is invalid: names the key and what is expected."""

    exit_code = 4


class ModelNotFoundError(DewireError):
    """A model is not available locally and cannot be downloaded (offline, unknown id)."""

    exit_code = 5


class ModelLoadError(DewireError):
    """A model directory exists but cannot be loaded (missing or corrupt files)."""

    exit_code = 5


class LanguageError(DewireError):
    """The input is not German and ``--strict-language`` was given."""

    exit_code = 6


class AlignmentError(DewireError):
    """An internal invariant of the document model is violated (a bug in dewire)."""

    exit_code = 70
