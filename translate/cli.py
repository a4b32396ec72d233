"""The ``dewire`` command line: arguments → library calls → exit codes.

The library never prints; this module and :mod:`translate.cli_display` (the
progress bars and tables, driven by the library's events) are the only ones
that write to the terminal. Each subcommand is one ``_parser_*`` function
(its options) and one ``_cmd_*`` function (library call → printing → exit
code); no pipeline stage is called from here. Library errors
(:class:`~translate.errors.DewireError`) become one line on stderr and the
error's exit code; anything unexpected becomes one line too (exit 70), with
the traceback only under ``--debug``. Importing this module imports neither
torch nor transformers, so ``dewire --help`` is instant.

Exit codes (constants in :mod:`translate.errors`): 0 ok; 1 some files
failed (batch); 2 usage; 3 output; 4 config; 5 model; 6 language;
66 unreadable input (sysexits EX_NOINPUT); 70 internal error; 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
from pathlib import Path
from typing import Any, NoReturn, Sequence

from translate import __version__

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

_DEFAULT_OUT = "dewire-out"

MAX_JOBS = 1024
"""Largest ``--jobs``: every job is a process with its own model replica (about 1 GiB each for opus-mt)."""
_ENGINES = ("local", "ray")
"""Batch engines offered by ``--engine`` (the keys of ``translate.batch.ENGINES``, which --help must not import)."""


def _add_model_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("models (override models.yaml)")
    g.add_argument("--config", metavar="FILE", help="models.yaml to use (default: $DEWIRE_CONFIG, ./models.yaml, or the built-in one)")
    g.add_argument("--model", metavar="NAME|ID|PATH", help="translation model: a name in models.yaml, a Hugging Face id, or a local directory (save_pretrained layout)")
    g.add_argument("--summarizer", metavar="NAME|ID|PATH", help="brief summarizer: 'extractive' (default, offline) or an abstractive model name/id/directory")
    from translate.mt.backends import BACKEND_CHOICES

    g.add_argument("--backend", choices=BACKEND_CHOICES, help="translation backend (default from models.yaml: auto = ctranslate2 when installed, else transformers)")
    g.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), help="where models run (default: auto = cuda, mps, then cpu)")
    g.add_argument("--threads", type=int, metavar="N", help="CPU threads for inference")
    g.add_argument("--beams", type=int, metavar="N", help="beam size (default from models.yaml)")
    g.add_argument("--no-cache", action="store_true", help="don't use the persistent translation cache")


_DEFAULT_GLOB = "*.txt,*.html,*.htm,*.docx"
"""Batch mode's default file patterns (translate.readers.base.DEFAULT_BATCH_PATTERNS); Markdown is opt-in."""


def _add_reader_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("web pages and URLs")
    g.add_argument("--all-text", action="store_true", help="HTML: keep every visible text block, not only the article found in the page")


def _is_url(source: str) -> bool:
    from translate.readers.base import is_url

    return is_url(source)


class _Parser(argparse.ArgumentParser):
    """argparse with dewire's error style: one line on stderr, exit 2 (usage errors).

    argparse's default prints the whole usage block before the message; a
    one-line ``dewire: error: …`` naming the option, with a pointer to
    ``--help``, matches every other dewire error.
    """

    def error(self, message: str) -> "NoReturn":  # type: ignore[override]
        _error(f"{message} (see '{self.prog} --help')")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and documentation).

    Each subcommand is built by one ``_parser_*`` function below, which also
    names its handler (``set_defaults(handler=...)``); a new subcommand is a
    new pair of functions and one line in :data:`_SUBCOMMANDS`.
    """
    parser = _Parser(
        prog="dewire",
        description="Read German news in English: sentence-aligned bilingual reports with a short brief.",
        epilog="Run 'dewire COMMAND --help' for a command's options. Docs: README.md.",
    )
    parser.add_argument("--version", action="version", version=f"dewire {__version__}")
    parser.add_argument("--debug", action="store_true", help="show Python tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in _SUBCOMMANDS:
        command = add(sub)
        # --debug is accepted after the command too ("dewire translate FILE --debug").
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show Python tracebacks on errors")
    return parser


def _parser_translate(sub: Any) -> argparse.ArgumentParser:
    from translate.reading import DEFAULT_MAX_BYTES
    from translate.writers import DEFAULT_FORMATS

    t = sub.add_parser(
        "translate",
        help="translate a German text file or a folder of them",
        description="Translate INPUT (a file, '-' for stdin, or a folder for batch mode) and write the report, aligned files, English text and brief.",
    )
    t.set_defaults(handler=_cmd_translate)
    t.add_argument("input", metavar="INPUT", nargs="?", help="a German file (.txt, .md, .html, .docx), an http(s):// URL, '-' for stdin, or a folder (batch mode)")
    t.add_argument("--text", metavar="TEXT", help="translate TEXT (instead of INPUT) and print the English at once on stdout; no files written")
    t.add_argument("-o", "--output", metavar="DIR", default=None, help=f"output folder (default: {_DEFAULT_OUT}); '-' writes the English text to stdout")
    t.add_argument("--format", metavar="LIST", default=None, help=f"comma-separated outputs: html,jsonl,txt,brief,tsv,tmx,md (default: {','.join(DEFAULT_FORMATS)}); with -o - or --text only txt")
    t.add_argument("--brief-sentences", type=int, metavar="N", help="number of brief bullets (default from models.yaml, usually 4; with --brief-words: the most)")
    t.add_argument("--brief-words", type=int, metavar="N", help="word budget of the brief: bullets are added best-first while they fit in N words")
    t.add_argument("--max-bytes", type=int, metavar="N", default=DEFAULT_MAX_BYTES, help="refuse inputs larger than N bytes (default: %(default)s; 0 = no limit)")
    t.add_argument("--strict-language", action="store_true", help="stop if the input does not look German (default: warn and go on)")
    t.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    _add_reader_args(t)
    b = t.add_argument_group("batch mode (INPUT is a folder)")
    b.add_argument("--glob", metavar="PATTERNS", default=_DEFAULT_GLOB, help="comma-separated file patterns to translate (default: %(default)s; Markdown is opt-in: --glob '*.txt,*.md', "
                   "since folders often hold a README.md)")
    b.add_argument("--force", action="store_true", help="redo files that are already done, and replace existing output files that dewire did not write (default: refuse)")
    b.add_argument("--jobs", type=int, metavar="N", default=1, help="worker processes, each with its own model replica (default: 1)")
    t.add_argument("--glossary", metavar="FILE", help="glossary TSV (German term<TAB>required English, '=' = keep) for the term-mismatch check")
    r = t.add_argument_group("batch engine (pip install 'dewire[ray]' for --engine ray)")
    r.add_argument("--engine", choices=_ENGINES, default="local", help="where batch work runs: 'local' (this machine; default) or 'ray' (Ray Data actors on a local Ray instance or a cluster)")
    r.add_argument("--address", metavar="ADDR", help="--engine ray: join the Ray cluster at HOST:PORT or 'auto' (default: $RAY_ADDRESS, else start a local Ray instance for the run)")
    r.add_argument("--workers", type=int, metavar="N", help="--engine ray: actors, each with its own model replica (default: 1 locally; on a cluster its CPUs / threads, or its GPUs)")
    r.add_argument("--gpus-per-worker", type=int, choices=(0, 1), default=0, metavar="0|1", help="--engine ray: 1 = each actor gets a GPU and runs on cuda (default: 0)")
    r.add_argument("--group-docs", "--docs-per-task", dest="group_docs", type=int, metavar="K",
                   help="files per translation group, translated batched together, on every engine (a Ray task is one group; default: 64)")
    _add_model_args(t)
    return t


def _parser_segment(sub: Any) -> argparse.ArgumentParser:
    from translate.reading import DEFAULT_MAX_BYTES

    s = sub.add_parser("segment", help="print the segmentation of a file as JSONL", description="Print paragraphs and sentences as JSONL records (the aligned.jsonl fields without target/score).")
    s.set_defaults(handler=_cmd_segment)
    s.add_argument("input", metavar="FILE", help="a German file (.txt, .md, .html, .docx), an http(s):// URL, or '-' for stdin")
    s.add_argument("--max-bytes", type=int, metavar="N", default=DEFAULT_MAX_BYTES, help="refuse inputs larger than N bytes (0 = no limit)")
    s.add_argument("--text", action="store_true", help="print the normalized source text instead (the text that source_span offsets index; for a web page or Word file, the extracted text), ending with one line end")
    _add_reader_args(s)
    return s


def _parser_eval(sub: Any) -> argparse.ArgumentParser:
    from translate.reading import DEFAULT_MAX_BYTES

    e = sub.add_parser(
        "eval",
        help="translate a line-aligned test set and score it (BLEU, chrF)",
        description=(
            "Translate SOURCE (German, one segment per line) and score the hypotheses against REFERENCE "
            "(English, line-aligned) with sacrebleu's BLEU and chrF, signatures included; e.g. "
            "dewire eval newstest2019.de-en.de newstest2019.de-en.en"
        ),
    )
    e.set_defaults(handler=_cmd_eval)
    e.add_argument("source", metavar="SOURCE", help="German test set, one segment per line")
    e.add_argument("reference", metavar="REFERENCE", help="English reference, line-aligned with SOURCE")
    e.add_argument("-o", "--output", metavar="FILE", help="write the hypotheses, one per line ('-' = stdout; the scores then go to stderr)")
    e.add_argument("--force", action="store_true", help="replace FILE even if dewire did not write it (default: refuse)")
    e.add_argument("--whole-lines", action="store_true", help="translate each line as one segment, as model cards do (default: cut lines into sentences, as 'dewire translate' does)")
    e.add_argument("--limit", type=int, metavar="N", help="only the first N lines (a quick check)")
    e.add_argument("--json", action="store_true", help="print the results as one JSON object")
    e.add_argument("--max-bytes", type=int, metavar="N", default=DEFAULT_MAX_BYTES, help="refuse files larger than N bytes (0 = no limit)")
    e.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    _add_model_args(e)
    return e


def _parser_models(sub: Any) -> argparse.ArgumentParser:
    m = sub.add_parser("models", help="list or download the models named in models.yaml")
    m.set_defaults(handler=_cmd_models)
    m.add_argument("--config", metavar="FILE", help="models.yaml to use")
    msub = m.add_subparsers(dest="models_command", metavar="ACTION")
    ml = msub.add_parser("list", help="show the models and whether each is available locally")
    d = msub.add_parser("download", help="fetch models into the Hugging Face cache for offline use (needs network)")
    d.add_argument("names", nargs="*", metavar="NAME", help="names in models.yaml (default: the default translator)")
    for action in (ml, d):  # --config is accepted after the action too ("dewire models list --config F")
        action.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help="models.yaml to use")
    return m


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dewire`` console script.

    Returns:
        The process exit status (see the module docstring).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # for the resume hint of an interrupted batch
    if args.command is None:
        parser.print_help()
        return 2
    from translate.errors import DewireError

    _show_backend_events(quiet=bool(getattr(args, "quiet", False)))
    try:
        _check_numbers(args)
        return args.handler(args)
    except DewireError as err:
        if args.debug:
            raise
        _error(str(err))
        return err.exit_code
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_broken_pipe()
        return EXIT_OK
    except Exception as err:  # noqa: BLE001 - the one place unexpected errors become one line
        if args.debug:
            raise
        _error(f"internal error: {type(err).__name__}: {_one_line(str(err))} (run with --debug for the traceback)")
        return EXIT_INTERNAL


# -- helpers --------------------------------------------------------------
def _show_backend_events(*, quiet: bool) -> None:
    """Print the backends' INFO events (CTranslate2's one-time conversion and its duration) on stderr."""
    import logging

    class _StderrLine(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            print(f"dewire: {record.getMessage()}", file=sys.stderr, flush=True)  # sys.stderr now: rich may have redirected it

    log = logging.getLogger("translate.mt.ctranslate2_backend")
    log.handlers = [h for h in log.handlers if type(h).__name__ != "_StderrLine"]  # main() may run twice in tests
    if quiet:
        return
    log.addHandler(_StderrLine())
    log.setLevel(logging.INFO)
    log.propagate = False


def _check_numbers(args: argparse.Namespace) -> None:
    """Options argparse types as ``int`` but whose range only dewire knows (the rest: models.yaml's ranges).

    Raises:
        ConfigError: ``--max-bytes`` below 0 or above ``sys.maxsize`` (what
            Python's I/O can address), ``--jobs`` or ``--limit`` below 1,
            ``--jobs`` above :data:`MAX_JOBS`.
    """
    from translate.errors import ConfigError

    max_bytes = getattr(args, "max_bytes", None)
    if max_bytes is not None and max_bytes < 0:
        raise ConfigError(f"--max-bytes must be 0 (no limit) or more (got {max_bytes})")
    if max_bytes is not None and max_bytes > sys.maxsize:
        raise ConfigError(f"--max-bytes must be at most {sys.maxsize} (got {max_bytes}); 0 means no limit")
    for option in ("jobs", "limit"):
        value = getattr(args, option, None)
        if value is not None and value < 1:
            raise ConfigError(f"--{option} must be at least 1 (got {value})")
    jobs = getattr(args, "jobs", None)
    if jobs is not None and jobs > MAX_JOBS:
        raise ConfigError(f"--jobs must be at most {MAX_JOBS} (got {jobs}); each job loads its own copy of the model")


def _write_stdout(text: str) -> None:
    """Write ``text`` to stdout and flush.

    Raises:
        OutputError: stdout cannot be written (e.g. ``>/dev/full``: no space left).
        BrokenPipeError: the reader went away (handled in :func:`main`, exit 0).
    """
    from translate.errors import OutputError

    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(f"cannot write to standard output ({err.strerror or err})") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _error(message: str) -> None:
    from translate.terminal import printable

    sys.stderr.write(f"dewire: error: {printable(_one_line(message))}\n")
    sys.stderr.flush()


def _warn(message: str) -> None:
    from translate.terminal import printable

    sys.stderr.write(f"dewire: warning: {printable(_one_line(message))}\n")
    sys.stderr.flush()


def _silence_broken_pipe() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def _options(args: argparse.Namespace):
    from translate.pipeline import Options
    from translate.reading import DEFAULT_MAX_BYTES
    from translate.writers import DEFAULT_FORMATS, parse_formats

    spec = getattr(args, "format", None)
    formats = parse_formats(spec if spec is not None else ",".join(DEFAULT_FORMATS))
    max_bytes = getattr(args, "max_bytes", DEFAULT_MAX_BYTES)
    return Options(
        model=args.model,
        summarizer=args.summarizer,
        backend=args.backend,
        device=args.device,
        threads=args.threads,
        beams=args.beams,
        brief_sentences=getattr(args, "brief_sentences", None),
        brief_words=getattr(args, "brief_words", None),
        formats=formats,
        use_cache=not args.no_cache,
        max_bytes=max_bytes or None,
        strict_language=getattr(args, "strict_language", False),
        overwrite=bool(getattr(args, "force", False)),
        glossary=getattr(args, "glossary", None),
        all_text=getattr(args, "all_text", False),
    )


def _executor(args: argparse.Namespace):
    """The batch executor for ``--engine`` and its options; ``None`` = the library's default (``local`` with ``--jobs``).

    Raises:
        ConfigError: a Ray option without ``--engine ray``; Ray not installed; a value out of range.
    """
    from translate.errors import ConfigError

    ray_options = {
        "address": args.address,
        "workers": args.workers,
        "gpus_per_worker": args.gpus_per_worker or None,
    }
    if args.engine == "local":
        given = [name for name, value in ray_options.items() if value is not None]
        if given:
            raise ConfigError(f"--{given[0].replace('_', '-')} needs --engine ray")
        return None
    from translate.batch import make_executor

    kwargs = {name: value for name, value in ray_options.items() if value is not None}
    return make_executor(args.engine, jobs=args.jobs, **kwargs)


def _read_stdin(max_bytes: int | None = None) -> bytes:
    """Read stdin in bounded chunks, at most ``max_bytes + 1`` bytes (enough for the size check to refuse it).

    Raises:
        InputError: stdin is closed (``<&-``), over the limit, or binary.
    """
    from translate.reading import read_bytes

    return read_bytes("-", "<stdin>", max_bytes or None)


def _is_folder_input(source: str) -> bool:
    """Whether INPUT names a folder (batch mode); ``-`` is stdin.

    Raises:
        InputError: INPUT cannot be looked at (missing, permission denied on a
            folder above it, file name too long …): one line naming it.
    """
    if source == "-":
        return False
    from translate.reading import display_name, input_error

    try:
        return stat.S_ISDIR(os.stat(source).st_mode)
    except FileNotFoundError:
        from translate.errors import InputError

        raise InputError(f"{display_name(source)}: no such file") from None
    except OSError as err:
        raise input_error(display_name(source), err) from None


# -- translate ------------------------------------------------------------
def _cmd_translate(args: argparse.Namespace) -> int:
    from translate.config import load_config
    from translate.errors import ConfigError

    if args.text is not None or args.input is None:
        return _translate_text(args)
    config = load_config(args.config)
    options = _options(args)
    source = args.input
    to_stdout = args.output == "-"
    out_dir = None if to_stdout else Path(args.output or _DEFAULT_OUT)
    if not _is_url(source) and _is_folder_input(source):
        if to_stdout:
            from translate.errors import UsageError

            raise UsageError("-o - (stdout) works with a single file, not a folder")
        return _translate_folder(args, config, options, out_dir)

    if args.engine != "local":
        raise ConfigError(f"--engine {args.engine} works in batch mode: INPUT must be a folder")
    from translate.cli_display import SentenceProgress, print_result
    from translate.pipeline import Pipeline, document_name
    from translate.reading import display_name

    if to_stdout:
        from dataclasses import replace

        _stdout_formats_only_txt(args)
        options = replace(options, formats=("txt",))
    else:
        # Before any work: the folder can be written, and no output would replace a file dewire did not write.
        from translate.writers import check_output_folder

        assert out_dir is not None
        check_output_folder(out_dir, document_name(source), options.formats, force=args.force)
    data = _read_stdin(options.max_bytes) if source == "-" else None
    with SentenceProgress(display_name(source), quiet=args.quiet) as display:
        result = Pipeline(config, options).run(source, out_dir, data=data, events=display)
    if to_stdout:
        _write_stdout(result.english_text())
    elif not args.quiet:
        print_result(result.document, result.outputs)
    return EXIT_OK


def _translate_text(args: argparse.Namespace) -> int:
    """``--text TEXT``: the English on stdout at once, for a quick look; nothing written, no progress bar.

    Warnings (e.g. the text does not look German) still go to stderr.

    Raises:
        UsageError: both INPUT and ``--text``, neither, or ``-o DIR`` with ``--text``.
    """
    from dataclasses import replace

    from translate.errors import UsageError

    if args.text is None:
        raise UsageError("give INPUT (a file, '-' for stdin, or a folder) or --text TEXT")
    if args.input is not None:
        raise UsageError(f"give INPUT or --text, not both (INPUT: {args.input})")
    if args.output not in (None, "-"):
        raise UsageError("--text prints the English on stdout; -o DIR is for files (save TEXT to a file to get the report)")
    from translate.cli_display import SentenceProgress
    from translate.config import load_config
    from translate.pipeline import Pipeline

    _stdout_formats_only_txt(args)
    options = replace(_options(args), formats=("txt",))
    with SentenceProgress("<text>", quiet=True) as display:
        result = Pipeline(load_config(args.config), options).run("<text>", None, data=args.text.encode("utf-8", "surrogateescape"), events=display)
    _write_stdout(result.english_text())
    return EXIT_OK


def _stdout_formats_only_txt(args: argparse.Namespace) -> None:
    """``-o -`` and ``--text`` print the English text: a ``--format`` asking for anything else is a usage error.

    Raises:
        UsageError: ``--format`` names a format other than ``txt``.
    """
    from translate.errors import UsageError
    from translate.writers import parse_formats

    spec = getattr(args, "format", None)
    if spec is not None and parse_formats(spec) != ("txt",):
        raise UsageError(f"-o - and --text print the English text only; --format {spec!r} needs an output folder (-o DIR)")


def _translate_folder(args: argparse.Namespace, config, options, out_dir: Path | None) -> int:
    """Batch mode: INPUT is a folder."""
    if not any(p.strip() for p in args.glob.split(",")):
        from translate.errors import UsageError

        raise UsageError("--glob needs at least one file pattern, e.g. '*.txt,*.html'")
    from translate.batch import translate_folder
    from translate.cli_display import BatchDisplay

    display = BatchDisplay(quiet=args.quiet)
    try:
        with display:
            report = translate_folder(
                args.input,
                out_dir,
                config=config,
                options=options,
                patterns=tuple(p.strip() for p in args.glob.split(",") if p.strip()),
                force=args.force,
                jobs=args.jobs,
                executor=_executor(args),
                events=display,
                **({"group_docs": args.group_docs} if args.group_docs is not None else {}),
            )
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM: every finished group is written and in the manifest; say so, and how to resume.
        from translate.terminal import printable

        message = display.interrupted(out_dir if out_dir is not None else _DEFAULT_OUT, _resume_command(args.argv))
        sys.stderr.write(f"dewire: {printable(_one_line(message))}\n")
        sys.stderr.flush()
        return EXIT_INTERRUPTED
    display.summary(report)
    return EXIT_OK if report.ok else EXIT_PARTIAL


def _resume_command(argv: Sequence[str]) -> str:
    """The command that resumes an interrupted batch: the same one, without ``--force`` (which would start over)."""
    import shlex

    kept = [a for a in argv if a != "--force"]
    command = "dewire " + shlex.join(kept)
    return command + (" (without --force, which would redo the finished files)" if len(kept) != len(argv) else "")


# -- segment --------------------------------------------------------------
def _cmd_segment(args: argparse.Namespace) -> int:
    from translate.errors import InputError
    from translate.pipeline import read_document
    from translate.writers.jsonl import dumps_line, record

    from translate.reading import display_name

    source = args.input
    if not _is_url(source) and _is_folder_input(source):
        raise InputError(f"{display_name(source)} is a directory, not a file")
    data = _read_stdin(args.max_bytes or None) if source == "-" else None
    doc = read_document(source, data=data, max_bytes=args.max_bytes or None, all_text=args.all_text)
    for warning in doc.meta.warnings:
        _warn(f"{display_name(source)}: {warning}")
    if args.text:  # one line end after the text, as a shell prompt and `wc -l` expect (never a second one)
        _write_stdout(doc.text if not doc.text or doc.text.endswith("\n") else doc.text + "\n")
        return EXIT_OK
    lines = []
    for paragraph in doc.paragraphs:
        for sentence in paragraph.sentences:
            item = {k: v for k, v in record(paragraph, sentence).items() if k not in ("target", "score", "pieces")}
            item["passthrough"] = sentence.passthrough
            lines.append(dumps_line(item) + "\n")
    _write_stdout("".join(lines))
    return EXIT_OK


# -- eval -----------------------------------------------------------------
def _cmd_eval(args: argparse.Namespace) -> int:
    import json

    from translate.cli_display import SentenceProgress
    from translate.config import load_config
    from translate.evaluate import eval_document, evaluate, load_eval_set
    from translate.pipeline import Pipeline

    config = load_config(args.config)
    eval_set = load_eval_set(args.source, args.reference, max_bytes=args.max_bytes or None, limit=args.limit)
    for warning in eval_set.warnings:
        _warn(warning)
    to_stdout = args.output == "-"
    if args.output and not to_stdout:
        _check_writable(args.output, inputs=(args.source, args.reference), force=args.force)
    pipeline = Pipeline(config, _options(args))
    pipeline.translator  # fails fast when the model is missing
    segment = not args.whole_lines
    prepared = eval_document(eval_set.source, segment=segment, name=eval_set.source_name)
    bar = SentenceProgress(eval_set.source_name, total=prepared[0].n_sentences, quiet=args.quiet or args.json, show_warnings=False)
    with bar:
        result = evaluate(eval_set, pipeline, segment=segment, events=bar, prepared=prepared)
    for warning in result.warnings:
        _warn(warning)
    if to_stdout:
        _write_stdout(result.hypotheses_text())
    elif args.output:
        result.write_hypotheses(args.output, force=args.force)
    report = json.dumps(result.summary(), ensure_ascii=False) + "\n" if args.json else result.report()
    if to_stdout:  # the hypotheses went to stdout: the scores go to stderr
        sys.stderr.write(report)
        sys.stderr.flush()
    else:
        _write_stdout(report)
    return EXIT_OK


def _check_writable(output: str, *, inputs: Sequence[str] = (), force: bool = False) -> None:
    """Fail before translating when ``-o FILE`` cannot or must not be written.

    A device or FIFO (``/dev/null``, ``/dev/stdout``) is written in place and
    needs no writable folder.

    Raises:
        OutputError: ``output`` names a folder (or ends with a separator), is
            one of ``inputs`` (it would overwrite the test set), or its folder
            does not exist, is not a folder, or is not writable.
        ForeignFileError: ``output`` exists and dewire did not write it (without ``force``).
    """
    from translate.errors import OutputError
    from translate.reading import display_name
    from translate.writers.atomic import DIRECT, check_destination, destination_kind

    path = Path(output)
    output = display_name(output)
    with contextlib.suppress(OSError):
        if output.endswith(("/", os.sep)) or path.is_dir():
            raise OutputError(f"{output} is a folder; -o takes a file name")
    for given in inputs:
        with contextlib.suppress(OSError):
            if given != "-" and Path(given).exists() and path.exists() and os.path.samefile(given, path):
                raise OutputError(f"-o {output} is the input file {display_name(given)}; it would be overwritten")
    try:
        kind: str | None = destination_kind(path)[0]
    except OutputError:
        kind = None  # the folder checks below name the problem first
    if kind == DIRECT:
        return
    folder = path.parent if str(path.parent) else Path(".")
    shown = display_name(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{output}: {shown} is not a folder")
    if not folder.is_dir():
        raise OutputError(f"{output}: folder {shown} does not exist")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{output}: folder {shown} is not writable")
    check_destination(path, force=force)


# -- models ---------------------------------------------------------------
def _cmd_models(args: argparse.Namespace) -> int:
    from translate.config import load_config

    config = load_config(args.config)
    if args.models_command in (None, "list"):
        from rich import box
        from rich.console import Console
        from rich.table import Table

        from translate.mt.backends import model_status
        from translate.mt.loading import is_available_locally

        console = Console() if sys.stdout.isatty() else Console(width=1000)  # piped: one line per model, never folded
        translators = Table(title=f"Translators in {config.source}", box=box.SIMPLE, title_justify="left")
        summarizers = Table(title="Summarizers", box=box.SIMPLE, title_justify="left")
        for column in ("name", "model", "backend", "compute", "converted", "local"):
            translators.add_column(column, no_wrap=True)
        for column in ("name", "model", "kind", "local"):
            summarizers.add_column(column, no_wrap=True)
        for st in model_status(config):
            star = " *" if st.name == config.defaults.translator else ""
            backend = st.backend if st.problem is None else f"{st.backend} ({st.problem})"
            translators.add_row(st.name + star, st.model, backend, st.compute_type, st.converted, "yes" if st.local else "no")
        for name, sc in config.summarizers.items():
            star = " *" if name == config.defaults.summarizer else ""
            if sc.kind == "extractive":
                local = "built in"
            else:
                local = "yes" if sc.model and is_available_locally(sc.model, sc.revision) else "no"
            summarizers.add_row(name + star, sc.model or "-", sc.kind, local)
        console.print(translators)
        console.print(summarizers)
        console.print("* default.  backend/compute: what runs on this machine (backend: auto picks ctranslate2 when installed).")
        console.print("converted: CTranslate2 conversion cached (else done once on first use).  Get a model: dewire models download NAME")
        return EXIT_OK
    if args.models_command == "download":
        from translate.downloads import FETCH, resolve_download
        from translate.mt.loading import download_model

        for name in args.names or [config.defaults.translator]:
            plan = resolve_download(config, name)
            if plan.action != FETCH:
                print(plan.message)
                continue
            path = download_model(plan.model, plan.revision, what=plan.what, config_name=name)
            print(f"{name}: {plan.model} → {path}")
        return EXIT_OK
    raise AssertionError(f"unknown models action {args.models_command!r}")  # pragma: no cover - argparse checks




# -- check ----------------------------------------------------------------
def _parser_check(sub: Any) -> argparse.ArgumentParser:
    c = sub.add_parser(
        "check",
        help="run dewire's checks on any translation (text pair, TMX, aligned.jsonl)",
        description=(
            "Check a translation: SOURCE and TARGET line-aligned text files (German, English), or SOURCE alone "
            "as a TMX file or a dewire aligned.jsonl. Prints the flagged lines and a summary. Exit 0: nothing "
            "flagged; 1: something flagged; 2: usage error; 66: unreadable or misaligned input."
        ),
    )
    c.add_argument("source", metavar="SOURCE", help="German text file (one segment per line), or a .tmx / aligned.jsonl file")
    c.add_argument("target", metavar="TARGET", nargs="?", help="English text file, line-aligned with SOURCE")
    c.add_argument("--glossary", metavar="FILE", help="glossary TSV (German term<TAB>required English, '=' = keep) for the term-mismatch check (default: models.yaml's defaults.glossary)")
    c.add_argument("--config", metavar="FILE", help="models.yaml to take defaults.glossary from (default: $DEWIRE_CONFIG, ./models.yaml, the built-in one)")
    c.add_argument("--jsonl", action="store_true", help='print one JSON object per input line: {"line": N, "flags": [...], "details": {...}}')
    c.set_defaults(handler=_cmd_check)
    return c


def _cmd_check(args: argparse.Namespace) -> int:
    from translate.checks import CheckContext, load_glossary
    from translate.checks.table import check_files, jsonl, summary, table

    path = args.glossary
    if not path:
        from translate.config import load_config

        path = load_config(args.config).glossary_path()
    glossary = load_glossary(path) if path else None
    lines = check_files(args.source, args.target, CheckContext(glossary=glossary))
    if args.jsonl:
        _write_stdout(jsonl(lines))
    else:
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
        _write_stdout(table(lines, width=width) + summary(lines) + "\n")
    return 1 if any(c.result.flags for c in lines) else 0


_SUBCOMMANDS = (_parser_translate, _parser_segment, _parser_eval, _parser_check, _parser_models)
"""The subcommands, in ``--help`` order."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
