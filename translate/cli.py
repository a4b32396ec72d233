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

Exit codes: 0 ok; 1 some files failed (batch); 2 input; 3 output; 4 config;
5 model; 6 language; 70 internal error; 130 interrupted.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, NoReturn, Sequence

from translate import __version__

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_INTERNAL = 70
EXIT_INTERRUPTED = 130

_DEFAULT_OUT = "dewire-out"

_ENGINES = ("local", "ray")
"""Batch engines offered by ``--engine`` (the keys of ``translate.batch.ENGINES``, which --help must not import)."""


def _add_model_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("models (override models.yaml)")
    g.add_argument("--config", metavar="FILE", help="models.yaml to use (default: $DEWIRE_CONFIG, ./models.yaml, or the built-in one)")
    g.add_argument("--model", metavar="NAME|ID|PATH", help="translation model: a name in models.yaml, a Hugging Face id, or a local directory (save_pretrained layout)")
    g.add_argument("--summarizer", metavar="NAME|ID|PATH", help="brief summarizer: 'extractive' (default, offline) or an abstractive model name/id/directory")
    g.add_argument("--backend", choices=("transformers", "ctranslate2"), help="translation backend (ctranslate2 needs: pip install 'dewire[fast]')")
    g.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), help="where models run (default: auto = cuda, mps, then cpu)")
    g.add_argument("--threads", type=int, metavar="N", help="CPU threads for inference")
    g.add_argument("--beams", type=int, metavar="N", help="beam size (default from models.yaml)")
    g.add_argument("--no-cache", action="store_true", help="don't use the persistent translation cache")


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
    t.add_argument("input", metavar="INPUT", help="a German text file, '-' for stdin, or a folder (batch mode)")
    t.add_argument("-o", "--output", metavar="DIR", default=None, help=f"output folder (default: {_DEFAULT_OUT}); '-' writes the English text to stdout")
    t.add_argument("--format", metavar="LIST", default=",".join(DEFAULT_FORMATS), help="comma-separated outputs: html,jsonl,txt,brief,tsv,tmx,md (default: %(default)s)")
    t.add_argument("--brief-sentences", type=int, metavar="N", help="number of brief bullets (default from models.yaml, usually 4; with --brief-words: the most)")
    t.add_argument("--brief-words", type=int, metavar="N", help="word budget of the brief: bullets are added best-first while they fit in N words")
    t.add_argument("--max-bytes", type=int, metavar="N", default=DEFAULT_MAX_BYTES, help="refuse inputs larger than N bytes (default: %(default)s; 0 = no limit)")
    t.add_argument("--strict-language", action="store_true", help="stop if the input does not look German (default: warn and go on)")
    t.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    b = t.add_argument_group("batch mode (INPUT is a folder)")
    b.add_argument("--glob", metavar="PATTERNS", default="*.txt", help="comma-separated file patterns to translate, e.g. '*.txt,*.md' (default: %(default)s)")
    b.add_argument("--force", action="store_true", help="redo files that are already done")
    b.add_argument("--jobs", type=int, metavar="N", default=1, help="worker processes, each with its own model replica (default: 1)")
    r = t.add_argument_group("batch engine (pip install 'dewire[ray]' for --engine ray)")
    r.add_argument("--engine", choices=_ENGINES, default="local", help="where batch work runs: 'local' (this machine; default) or 'ray' (Ray Data actors on a local Ray instance or a cluster)")
    r.add_argument("--address", metavar="ADDR", help="--engine ray: join the Ray cluster at HOST:PORT or 'auto' (default: $RAY_ADDRESS, else start a local Ray instance for the run)")
    r.add_argument("--workers", type=int, metavar="N", help="--engine ray: actors, each with its own model replica (default: 1 locally; on a cluster its CPUs / threads, or its GPUs)")
    r.add_argument("--gpus-per-worker", type=int, choices=(0, 1), default=0, metavar="0|1", help="--engine ray: 1 = each actor gets a GPU and runs on cuda (default: 0)")
    r.add_argument("--docs-per-task", type=int, metavar="K", help="--engine ray: whole documents per Ray task, translated batched together (default: 8)")
    _add_model_args(t)
    return t


def _parser_segment(sub: Any) -> argparse.ArgumentParser:
    from translate.reading import DEFAULT_MAX_BYTES

    s = sub.add_parser("segment", help="print the segmentation of a file as JSONL", description="Print paragraphs and sentences as JSONL records (the aligned.jsonl fields without target/score).")
    s.set_defaults(handler=_cmd_segment)
    s.add_argument("input", metavar="FILE", help="a German text file, or '-' for stdin")
    s.add_argument("--max-bytes", type=int, metavar="N", default=DEFAULT_MAX_BYTES, help="refuse inputs larger than N bytes (0 = no limit)")
    s.add_argument("--text", action="store_true", help="print the normalized source text instead (the text that source_span offsets index)")
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
    if args.command is None:
        parser.print_help()
        return 2
    from translate.errors import DewireError

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
def _check_numbers(args: argparse.Namespace) -> None:
    """Options argparse types as ``int`` but whose range only dewire knows (the rest: models.yaml's ranges).

    Raises:
        ConfigError: ``--max-bytes`` below 0, ``--jobs`` or ``--limit`` below 1.
    """
    from translate.errors import ConfigError

    max_bytes = getattr(args, "max_bytes", None)
    if max_bytes is not None and max_bytes < 0:
        raise ConfigError(f"--max-bytes must be 0 (no limit) or more (got {max_bytes})")
    for option in ("jobs", "limit"):
        value = getattr(args, option, None)
        if value is not None and value < 1:
            raise ConfigError(f"--{option} must be at least 1 (got {value})")


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
    sys.stderr.write(f"dewire: error: {_one_line(message)}\n")
    sys.stderr.flush()


def _warn(message: str) -> None:
    sys.stderr.write(f"dewire: warning: {_one_line(message)}\n")
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

    formats = parse_formats(getattr(args, "format", None) or ",".join(DEFAULT_FORMATS))
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
        "docs_per_task": args.docs_per_task,
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
    """Read stdin, at most ``max_bytes + 1`` bytes (enough for the size check to refuse it)."""
    return sys.stdin.buffer.read(-1 if not max_bytes else max_bytes + 1)


# -- translate ------------------------------------------------------------
def _cmd_translate(args: argparse.Namespace) -> int:
    from translate.config import load_config
    from translate.errors import ConfigError, InputError, OutputError

    config = load_config(args.config)
    options = _options(args)
    source = args.input
    to_stdout = args.output == "-"
    out_dir = None if to_stdout else Path(args.output or _DEFAULT_OUT)
    if source != "-" and Path(source).is_dir():
        if to_stdout:
            raise OutputError("-o - (stdout) works with a single file, not a folder")
        return _translate_folder(args, config, options, out_dir)

    if args.engine != "local":
        raise ConfigError(f"--engine {args.engine} works in batch mode: INPUT must be a folder")
    from translate.cli_display import SentenceProgress, print_result
    from translate.pipeline import Pipeline
    from translate.reading import display_name

    data = _read_stdin(options.max_bytes) if source == "-" else None
    if source != "-" and not Path(source).exists():
        raise InputError(f"{source}: no such file")
    if to_stdout:
        from dataclasses import replace

        options = replace(options, formats=("txt",))
    with SentenceProgress(display_name(source), quiet=args.quiet) as display:
        result = Pipeline(config, options).run(source, out_dir, data=data, events=display)
    if to_stdout:
        _write_stdout(result.english_text())
    elif not args.quiet:
        print_result(result.document, result.outputs)
    return EXIT_OK


def _translate_folder(args: argparse.Namespace, config, options, out_dir: Path | None) -> int:
    """Batch mode: INPUT is a folder."""
    from translate.batch import translate_folder
    from translate.cli_display import BatchDisplay

    with BatchDisplay(quiet=args.quiet) as display:
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
        )
    display.summary(report)
    return EXIT_OK if report.ok else EXIT_PARTIAL


# -- segment --------------------------------------------------------------
def _cmd_segment(args: argparse.Namespace) -> int:
    from translate.errors import InputError
    from translate.pipeline import read_document
    from translate.writers.jsonl import dumps_line, record

    source = args.input
    if source != "-" and not Path(source).exists():
        raise InputError(f"{source}: no such file")
    data = _read_stdin(args.max_bytes or None) if source == "-" else None
    doc = read_document(source, data=data, max_bytes=args.max_bytes or None)
    for warning in doc.meta.warnings:
        _warn(f"{source}: {warning}")
    if args.text:
        _write_stdout(doc.text)
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
        _check_writable(args.output, inputs=(args.source, args.reference))
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
        result.write_hypotheses(args.output)
    report = json.dumps(result.summary(), ensure_ascii=False) + "\n" if args.json else result.report()
    if to_stdout:  # the hypotheses went to stdout: the scores go to stderr
        sys.stderr.write(report)
        sys.stderr.flush()
    else:
        _write_stdout(report)
    return EXIT_OK


def _check_writable(output: str, *, inputs: Sequence[str] = ()) -> None:
    """Fail before translating when ``-o FILE`` cannot or must not be written.

    Raises:
        OutputError: ``output`` names a folder (or ends with a separator), is
            one of ``inputs`` (it would overwrite the test set), or its folder
            does not exist, is not a folder, or is not writable.
    """
    from translate.errors import OutputError

    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir():
        raise OutputError(f"{output} is a folder; -o takes a file name")
    for given in inputs:
        if given != "-" and Path(given).exists() and path.exists() and os.path.samefile(given, path):
            raise OutputError(f"-o {output} is the input file {given}; it would be overwritten")
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{output}: {folder} is not a folder")
    if not folder.is_dir():
        raise OutputError(f"{output}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{output}: folder {folder} is not writable")


# -- models ---------------------------------------------------------------
def _cmd_models(args: argparse.Namespace) -> int:
    from translate.config import load_config

    config = load_config(args.config)
    if args.models_command in (None, "list"):
        from rich.console import Console
        from rich.table import Table

        from translate.mt.loading import is_available_locally

        from rich import box

        console = Console()
        translators = Table(title=f"Translators in {config.source}", box=box.SIMPLE, title_justify="left")
        summarizers = Table(title="Summarizers", box=box.SIMPLE, title_justify="left")
        for table, third in ((translators, "backend"), (summarizers, "kind")):
            table.add_column("name", no_wrap=True)
            table.add_column("model", no_wrap=True)
            table.add_column(third)
            table.add_column("local")
        for name, t in config.translators.items():
            star = " *" if name == config.defaults.translator else ""
            local = "yes" if is_available_locally(t.model, t.revision) else "no"
            translators.add_row(name + star, t.model, t.backend, local)
        for name, sc in config.summarizers.items():
            star = " *" if name == config.defaults.summarizer else ""
            if sc.kind == "extractive":
                local = "built in"
            else:
                local = "yes" if sc.model and is_available_locally(sc.model, sc.revision) else "no"
            summarizers.add_row(name + star, sc.model or "-", sc.kind, local)
        console.print(translators)
        console.print(summarizers)
        console.print("* default.  Get a model for offline use: dewire models download NAME")
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


_SUBCOMMANDS = (_parser_translate, _parser_segment, _parser_eval, _parser_models)
"""The subcommands, in ``--help`` order."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
