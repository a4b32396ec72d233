"""The language check's fast path decides as lingua does: every corpus text, both ways.

:func:`translate.language.detect_language` skips lingua when the text is
clearly German (:func:`translate.language._clearly_german`: enough sentences
with several German function words that no other-language vote could change
the outcome). This script checks that claim on ``../shared/corpus`` and on
texts built to sit near the decision's edges:

* German: every article (newstest2014-origde, NTREX-128, 10kGNAD, 20 Minuten),
  the messy files and NZZ pages, the HTML pages (as dewire's reader extracts
  them), ``samples/``, and WMT German lines in blocks of 1, 3 and 10;
* English: every English article and WMT English lines in blocks of 1, 3, 10;
* mixed: each newstest2014-origde article followed by the first k sentences
  of its English translation (k = 1, 2, 3, 5, 8, all), and the English with
  German sentences appended the same way.

For each text it compares ``(language, warning)`` of the fast path with the
lingua-only decision (the fast path switched off), counts how often the fast
path decided, and, sentence by sentence, whether lingua calls German every
sentence the function-word rule calls German. Any difference is listed and
makes the exit status 1.

Usage::

    python3 benchmarks/language_fast_path.py

Results: ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))

import translate.language as language  # noqa: E402


def _read(path: Path) -> str:
    from translate.readers import read_input

    return read_input(path).text


def _blocks(lines: list[str], size: int, limit: int) -> list[str]:
    return ["\n".join(lines[i : i + size]) for i in range(0, min(len(lines), limit * size), size)]


def texts() -> dict[str, list[tuple[str, str]]]:
    """Corpus texts by group: ``{group: [(name, text), …]}``."""
    groups: dict[str, list[tuple[str, str]]] = {"german": [], "english": [], "mixed": []}
    art = CORPUS / "articles"
    for path in sorted(art.glob("*/*.de.txt")) + sorted((art / "10kgnad").glob("*.txt")) + sorted((CORPUS / "summarization").glob("*/*.de.txt")):
        groups["german"].append((str(path.relative_to(CORPUS)), _read(path)))
    for path in sorted((CORPUS / "messy").rglob("*.txt")) + sorted((CORPUS / "html" / "pages").glob("*.html")) + sorted((REPO / "samples").glob("*.de.txt")):
        try:
            groups["german"].append((str(path.relative_to(REPO.parent)), _read(path)))
        except Exception as err:  # an unreadable page is the reader's business, not this check's
            print(f"skipped {path.name}: {err}", file=sys.stderr)
    for path in sorted(art.glob("*/*.en.txt")):
        groups["english"].append((str(path.relative_to(CORPUS)), _read(path)))
    wmt = CORPUS / "wmt"
    for lang, group in (("de", "german"), ("en", "english")):
        for name in ("newstest2019.de-en", "generaltest2022.de-en", "generaltest2023.de-en"):
            lines = (wmt / f"{name}.{lang}").read_text(encoding="utf-8").splitlines()
            for size, limit in ((1, 400), (3, 150), (10, 60)):
                groups[group] += [(f"{name}.{lang} block{size}#{i}", t) for i, t in enumerate(_blocks(lines, size, limit))]
    for de_path in sorted((art / "newstest2014-origde").glob("*.de.txt")):
        en_path = de_path.with_name(de_path.name.replace(".de.txt", ".en.txt"))
        de, en = de_path.read_text(encoding="utf-8"), en_path.read_text(encoding="utf-8")
        de_lines, en_lines = de.splitlines(), en.splitlines()
        for k in (1, 2, 3, 5, 8, len(en_lines)):
            groups["mixed"].append((f"{de_path.name} + {k} en", de + "\n" + "\n".join(en_lines[:k])))
            groups["mixed"].append((f"{en_path.name} + {k} de", en + "\n" + "\n".join(de_lines[:k])))
    return groups


def main() -> int:
    groups = texts()
    fast = language._clearly_german
    detector = language._detector()
    differences: list[str] = []
    disagreements: list[str] = []
    print(f"{'group':<8} {'texts':>6} {'fast path':>10} {'same decision':>14}   sentences the rule calls German: lingua German / all")
    for group, items in groups.items():
        fired = same = rule_sentences = lingua_german = 0
        for name, text in items:
            new = language.detect_language(text)
            language._clearly_german = lambda sample: False  # type: ignore[assignment]
            try:
                old = language.detect_language(text)
            finally:
                language._clearly_german = fast  # type: ignore[assignment]
            sample = language._sample(text)
            fired += fast(sample) and language._script_language(sample) is None and sum(ch.isalpha() for ch in sample) >= language.MIN_LETTERS
            if (new.language, new.warning) == (old.language, old.warning):
                same += 1
            else:
                differences.append(f"{group}: {name}: fast path {new.language}/{new.warning!r}, lingua {old.language}/{old.warning!r}")
            for sentence in language._judged_sentences(sample, skip_quoted=True):
                markers = language.GERMAN_MARKERS.intersection(language._WORD_RE.findall(sentence.lower()))
                if len(markers) >= language.MIN_MARKERS:
                    rule_sentences += 1
                    values = detector.compute_language_confidence_values(sentence)
                    if values and values[0].language.name == "GERMAN":
                        lingua_german += 1
                    else:
                        disagreements.append(f"{group}: {name}: {values[0].language.name if values else None}: {sentence[:120]!r}")
        print(f"{group:<8} {len(items):>6} {fired:>10} {same:>14}   {lingua_german} / {rule_sentences}")
    for line in differences + disagreements:
        print(line)
    # time of one article's language check in a fresh process, both ways
    article = CORPUS / "articles" / "newstest2014-origde" / "10959-schwarzwaelder-bote.de.de.txt"
    import subprocess

    code = (
        "import sys, time; sys.path.insert(0, {repo!r}); import translate.language as L, translate.segment\n"
        "text = open({path!r}, encoding='utf-8').read()\n"
        "{off}t = time.perf_counter(); f = L.detect_language(text); print(time.perf_counter() - t)\n"
    )
    for label, off in (("fast path", ""), ("lingua only", "L._clearly_german = lambda s: False\n")):
        runs = [float(subprocess.run([sys.executable, "-c", code.format(repo=str(REPO), path=str(article), off=off)],
                                     capture_output=True, text=True, check=True).stdout) for _ in range(3)]
        print(f"one article's language check in a fresh process, {label}: {min(runs) * 1000:.0f} ms (min of 3; max {max(runs) * 1000:.0f})")
    return 1 if differences or disagreements else 0


if __name__ == "__main__":
    t0 = time.perf_counter()
    rc = main()
    print(f"{time.perf_counter() - t0:.0f} s")
    raise SystemExit(rc)
