"""Typed errors raised by the dewire library.

The library raises :class:`DewireError` subclasses whose message is one clear
sentence naming the file, key or model at fault. Only :mod:`translate.cli`
prints them (one line on stderr, non-zero exit; ``--debug`` shows the
traceback). The library never calls ``sys.exit`` or ``print``.
"""

from __future__ import annotations

# Exit codes of the ``dewire`` command (README "Exit codes"; contract.md). 66 is sysexits.h EX_NOINPUT,
# 70 EX_SOFTWARE, 130 = 128 + SIGINT as shells report it.
EXIT_OK = 0
"""Everything worked."""
EXIT_FAILED = 1
"""Some files of a batch failed (the others are done), or ``dewire check`` flagged something."""
EXIT_USAGE = 2
"""Usage error: an unknown option, a missing or malformed argument (argparse's convention)."""
EXIT_OUTPUT = 3
"""An output cannot be written (permissions, disk full, a file dewire did not write is in the way)."""
EXIT_CONFIG = 4
"""Bad configuration: models.yaml or an option value out of range."""
EXIT_MODEL = 5
"""A model is missing or broken."""
EXIT_LANGUAGE = 6
"""The input is not German (``--strict-language``)."""
EXIT_NOINPUT = 66
"""The input cannot be read: missing, unreadable, binary, empty, too big (sysexits.h ``EX_NOINPUT``)."""
EXIT_INTERNAL = 70
"""A bug in dewire (sysexits.h ``EX_SOFTWARE``); ``--debug`` shows the traceback."""
EXIT_INTERRUPTED = 130
"""Interrupted (Ctrl-C, SIGTERM)."""


class DewireError(Exception):
    """Base class of every error dewire reports to the user.

    ``str(error)`` is a single line suitable for printing as-is.
    ``exit_code`` is the process exit status the CLI uses.
    """

    exit_code: int = EXIT_FAILED


class UsageError(DewireError):
    """The command line is inconsistent (e.g. ``-o -`` with a folder)."""

    exit_code = EXIT_USAGE


class InputError(DewireError):
    """The input cannot be read: missing, a directory, binary, empty, too big, undecodable."""

    exit_code = EXIT_NOINPUT


class OutputError(DewireError):
    """An output file or folder cannot be written (permissions, disk full …)."""

    exit_code = EXIT_OUTPUT


class ForeignFileError(OutputError):
    """An output would replace an existing file that dewire cannot prove it wrote (see :mod:`translate.ownership`).

    The message names the file and how to proceed (``--force``, or another ``-o``).
    """


class ConfigError(DewireError):
    """models.yaml (or a command-line override) is invalid: names the key and what is expected."""

    exit_code = EXIT_CONFIG


class ModelNotFoundError(DewireError):
    """A model is not available locally and cannot be downloaded (offline, unknown id)."""

    exit_code = EXIT_MODEL


class ModelLoadError(DewireError):
    """A model directory exists but cannot be loaded (missing or corrupt files)."""

    exit_code = EXIT_MODEL


class LanguageError(DewireError):
    """The input is not German and ``--strict-language`` was given."""

    exit_code = EXIT_LANGUAGE


class AlignmentError(DewireError):
    """An internal invariant of the document model is violated (a bug in dewire)."""

    exit_code = EXIT_INTERNAL
