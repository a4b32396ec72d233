"""How well do dewire's checks catch known translation errors, and how often do they cry wolf?

Builds a labelled set from human translations nobody here made (WMT references in
``../shared/corpus/wmt/``): half the pairs untouched, half corrupted in one known way each:

* ``number``: one number (digits) present in both German and English is changed in the English;
* ``name``: one name present in both (a word capitalised mid-sentence in the English that the
  German has too) is deleted from the English;
* ``omission``: the English is cut at a comma between 30 % and 60 % of its length (the
  sentence-final punctuation is kept, so only the length tells);
* ``untranslated``: the English is replaced by the German;
* ``repetition``: a 3-word phrase of the English is repeated four times.

Honest split: the omission bounds (``translate/checks/data/omission.json``, ``--calibrate``),
the name model (``names_model.json``) and the reviewed word lists were tuned on
**newstest2019 + newstest2021 (references A and B)**; the English capitalisation table
(``english_case.tsv``) counts other English text (generaltest2022/2023, newstest2020, NTREX-128), the
German one (``german_case.tsv``) other German text (the same test sets' German, 10kGNAD, 20 Minuten);
the evaluation set is drawn from **newstest2014, its originally German half** (``origde``,
1,500 pairs, 96 documents: German news with human English translations, dewire's use case), a
different year and different documents. ``--on all2014`` evaluates on all 3,003 pairs instead;
in the originally English half the *German* is the translation (it spells out what the English
implies: ``US-amerikanisch``, conversions), which raises the false flags of names and omission.

Usage::

    python3 benchmarks/flags_eval.py                 # evaluate (prints the table)
    python3 benchmarks/flags_eval.py --pairs 1000    # size of the labelled set
    python3 benchmarks/flags_eval.py --calibrate     # rewrite data/omission.json first
    python3 benchmarks/flags_eval.py --false-flags 20  # list flags on untouched pairs
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from translate.checks import CheckContext, check_pair  # noqa: E402
from translate.checks.omission import calibrate  # noqa: E402

WMT = ROOT.parent / "shared" / "corpus" / "wmt"
CALIBRATION = [
    ("newstest2019.de-en.de", "newstest2019.de-en.en"),
    ("newstest2021.de-en.de", "newstest2021.de-en.en"),
    ("newstest2021.de-en.de", "newstest2021.de-en.refB.en"),
]
EVALUATION = [("newstest2014.de-en.origde.de", "newstest2014.de-en.origde.en")]
EVALUATION_ALL = [("newstest2014.de-en.de", "newstest2014.de-en.en")]
"""All of newstest2014, half of it originally English (its German is the translation): ``--on all2014``."""
CASE_FILES = [
    "generaltest2022.de-en.en",
    "generaltest2022.de-en.refB.en",
    "generaltest2023.de-en.en",
    "newstest2020.de-en.en",
    "newstest2020.de-en.refB.en",
    "ntrex128.newstest2019-en-de.en",
]
"""English text for the capitalisation table (names.english_case): neither calibration nor evaluation data."""
GERMAN_CASE_FILES = [
    "wmt/generaltest2022.de-en.de",
    "wmt/generaltest2023.de-en.de",
    "wmt/newstest2020.de-en.de",
    "wmt/ntrex128.newstest2019-en-de.de",
    "articles/10kgnad/*.txt",
    "summarization/20minuten/*.de.txt",
]
"""German text for names.german_case (which words German writes in lower case): neither calibration nor evaluation data."""


def german_case_lines():
    for pattern in GERMAN_CASE_FILES:
        for path in sorted(WMT.parent.glob(pattern)):
            yield from path.read_text("utf-8").splitlines()
KINDS = ("number", "name", "omission", "untranslated", "repetition")
CHECK_FOR = {
    "number": "number-mismatch",
    "name": "name-mismatch",
    "omission": "omission",
    "untranslated": "untranslated",
    "repetition": "repetition",
}


PSEUDO_DOCUMENT = 20
"""Lines per pseudo-document for test sets without document ids (newstest2019, 2021): consecutive lines of one file."""


def load_docs(files: list[tuple[str, str]], wmt: Path = WMT) -> list[tuple[str, str, str]]:
    """``(German, English, document key)`` for every non-blank pair of ``files``.

    The document key is the WMT docid where a ``.docids`` file exists beside the
    German (newstest2014), else ``file:block`` of :data:`PSEUDO_DOCUMENT` consecutive lines.
    """
    pairs = []
    for de, en in files:
        src = (wmt / de).read_text("utf-8").splitlines()
        tgt = (wmt / en).read_text("utf-8").splitlines()
        assert len(src) == len(tgt), (de, en)
        ids_file = wmt / (de[: -len(".de")] + ".docids")
        ids = ids_file.read_text("utf-8").splitlines() if ids_file.exists() else [f"{en}:{i // PSEUDO_DOCUMENT}" for i in range(len(src))]
        pairs.extend((s.strip(), t.strip(), f"{en}:{d}") for s, t, d in zip(src, tgt, ids) if s.strip() and t.strip())
    return pairs


def load(files: list[tuple[str, str]], wmt: Path = WMT) -> list[tuple[str, str]]:
    """``(German, English)`` for every non-blank pair of ``files``."""
    return [(de, en) for de, en, _ in load_docs(files, wmt)]


def contexts(docs: list[tuple[str, str, str]]) -> list[CheckContext]:
    """One :class:`CheckContext` per pair: its document's :class:`NameMemory` and its position there."""
    from translate.checks.names import document_memories

    return [CheckContext(names=memory, index=position) for memory, position in document_memories(docs)]


_NUM = re.compile(r"(?<![\w.,:/-])\d+(?![\w.,:/-]|[.,]\d)")
_CAP = re.compile(r"(?<=\s)[A-Z][a-z]{2,}\b")


def _name_options(de: str, en: str) -> list[re.Match[str]]:
    """The names a ``name`` corruption may delete: capitalised mid-sentence English words found once in each side."""
    de_words = set(re.findall(r"\w+", de))
    return [m for m in _CAP.finditer(en) if m.group() in de_words and en.count(m.group()) == 1 and de.count(m.group()) == 1]


def _without(en: str, m: re.Match[str]) -> str:
    """``en`` with the word ``m`` deleted (spaces and punctuation tidied)."""
    return re.sub(r"\s{2,}", " ", en[: m.start()] + en[m.end() :]).replace(" ,", ",").replace(" .", ".").strip()


def corrupt(kind: str, de: str, en: str, rng: random.Random) -> str | None:
    """The corrupted English for ``kind``, or ``None`` when the pair doesn't allow it."""
    if kind == "number":
        en_nums = [m for m in _NUM.finditer(en)]
        de_nums = set(m.group() for m in _NUM.finditer(de))
        options = [m for m in en_nums if m.group() in de_nums and sum(x.group() == m.group() for x in en_nums) == 1]
        if not options:
            return None
        m = rng.choice(options)
        value = int(m.group())
        new = str(value + rng.choice([1, 2, 3, 5, 7, 9, 10, 11])) if rng.random() < 0.5 or len(m.group()) < 2 else m.group()[::-1]
        if new == m.group() or new.lstrip("0") != new:
            new = str(value + 3)
        return en[: m.start()] + new + en[m.end() :]
    if kind == "name":
        options = _name_options(de, en)
        if not options:
            return None
        return _without(en, rng.choice(options))
    if kind == "omission":
        commas = [i for i, ch in enumerate(en) if ch == "," and 0.3 <= i / len(en) <= 0.6]
        if not commas:
            return None
        cut = rng.choice(commas)
        end = en.rstrip()[-1] if en.rstrip()[-1] in ".!?" else ""
        return en[:cut].rstrip() + end
    if kind == "untranslated":
        return de
    if kind == "repetition":
        words = en.split()
        if len(words) < 5:
            return None
        i = rng.randrange(0, len(words) - 2)
        phrase = words[i : i + 3]
        return " ".join(words[:i] + phrase * 4 + words[i + 3 :])
    raise ValueError(kind)


def name_sites(pairs: list[tuple[str, str]]) -> list[tuple[int, str]]:
    """Every name deletion :func:`corrupt` may draw, each once: ``(pair index, corrupted English)``.

    The sampled set holds about 100 name corruptions, so its recall moves by
    several points with the seed; this set (every eligible name of every pair
    of four words or more) gives the stable figure.
    """
    return [(k, _without(en, m)) for k, (de, en) in enumerate(pairs) if len(de.split()) >= 4 for m in _name_options(de, en)]


def build(pairs: list[tuple[str, str]], n: int, seed: int = 14) -> list[tuple[str, str, str, int]]:
    """``n`` labelled pairs ``(kind, German, English, index in pairs)``: ``n/2`` ``clean``, the rest spread over :data:`KINDS`."""
    rng = random.Random(seed)
    order = list(range(len(pairs)))
    rng.shuffle(order)
    n_clean = n // 2
    per_kind = {k: (n - n_clean) // len(KINDS) + (i < (n - n_clean) % len(KINDS)) for i, k in enumerate(KINDS)}
    out: list[tuple[str, str, str]] = []
    used: set[int] = set()
    for kind in KINDS:
        got = 0
        for idx in order:
            if got == per_kind[kind]:
                break
            if idx in used:
                continue
            de, en = pairs[idx]
            if len(de.split()) < 4:
                continue
            bad = corrupt(kind, de, en, rng)
            if bad is None or bad == en:
                continue
            used.add(idx)
            out.append((kind, de, bad, idx))
            got += 1
    for idx in order:
        if len(out) >= n:
            break
        if idx not in used:
            used.add(idx)
            out.append(("clean", *pairs[idx], idx))
    return out


def evaluate(labelled: list[tuple[str, str, str, int]], context: list[CheckContext] | None = None) -> dict:
    """Run every check on every labelled pair; ``context[index]`` gives each pair its document (``None``: none)."""
    flags_by_kind: dict[str, Counter] = defaultdict(Counter)
    n_kind: Counter = Counter()
    any_flag: Counter = Counter()
    examples: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
    for kind, de, en, index in labelled:
        result = check_pair(de, en, context[index] if context else None)
        n_kind[kind] += 1
        any_flag[kind] += bool(result.flags)
        for flag in result.flags:
            flags_by_kind[kind][flag] += 1
            if kind == "clean":
                examples[flag].append((de, en, flag, result.details[flag]))
    return {"flags": flags_by_kind, "n": n_kind, "any": any_flag, "examples": examples}


def table(res: dict) -> str:
    flags, n, any_flag = res["flags"], res["n"], res["any"]
    lines = ["| check | corruption | n | recall | precision | flags on untouched |", "|---|---|---:|---:|---:|---:|"]
    for kind in KINDS:
        check = CHECK_FOR[kind]
        tp = flags[kind][check]
        total = sum(flags[k][check] for k in flags)
        recall = tp / n[kind] if n[kind] else 0.0
        precision = tp / total if total else 1.0
        clean = flags["clean"][check] / n["clean"] if n["clean"] else 0.0
        lines.append(f"| {check} | {kind} | {n[kind]} | {recall:.3f} | {precision:.3f} | {clean:.3%} |")
    for check in ("length-ratio", "term-mismatch"):
        clean = flags["clean"][check] / n["clean"] if n["clean"] else 0.0
        lines.append(f"| {check} | — | — | — | — | {clean:.3%} |")
    lines.append(f"| **any flag** | untouched | {n['clean']} | | | **{any_flag['clean'] / max(n['clean'], 1):.2%}** |")
    lines.append("")
    lines.append("Flag rate of every check on every corruption kind (share of pairs of that kind):")
    lines.append("")
    checks = list(dict.fromkeys([*CHECK_FOR.values(), "length-ratio"]))
    lines.append("| kind | n | " + " | ".join(checks) + " | any |")
    lines.append("|---|---:|" + "---:|" * (len(checks) + 1))
    for kind in ("clean", *KINDS):
        row = [f"{flags[kind][c] / max(n[kind], 1):.2f}" for c in checks]
        lines.append(f"| {kind} | {n[kind]} | " + " | ".join(row) + f" | {any_flag[kind] / max(n[kind], 1):.2f} |")
    return "\n".join(lines)


def write_case_table(name: str, header: str, case: dict[str, tuple[int, int]]) -> None:
    """Write ``translate/checks/data/NAME``: ``header``, then ``word<TAB>lower<TAB>capitalised`` for words seen twice or more."""
    rows = "".join(f"{k}\t{lo}\t{ca}\n" for k, (lo, ca) in sorted(case.items()) if lo + ca >= 2)
    (ROOT / "translate" / "checks" / "data" / name).write_text(header + rows, "utf-8")


NAME_FALSE_FLAGS = 0.021
"""The name check may flag at most this share of the calibration pairs (human translations, with their documents)."""


@contextlib.contextmanager
def name_model_threshold(threshold: float) -> Iterator[None]:
    """Run the name check with the shipped model but ``threshold`` inside the ``with`` block."""
    from translate.checks import names

    data, _, suffixes = names._model()
    original = names._model
    names._model = lambda: (data, threshold, suffixes)  # type: ignore[assignment]
    try:
        yield
    finally:
        names._model = original


def name_threshold(docs: list[tuple[str, str, str]], target: float = NAME_FALSE_FLAGS) -> float:
    """The lowest name-model threshold (0.30–0.99, steps of 0.01) at which ``name-mismatch`` flags at most ``target`` of ``docs``.

    The whole check runs, with each pair's document memory, so the threshold
    accounts for the exact rules and the memory as well as the model. The
    share flagged falls as the threshold rises: a binary search over the grid.
    """
    from translate.checks import names

    context = contexts(docs)
    names._model.cache_clear()

    def share(t: float) -> float:
        with name_model_threshold(t):
            return sum(bool(names.check_names(de, en, ctx)) for (de, en, _), ctx in zip(docs, context)) / len(docs)

    grid = [round(0.30 + 0.01 * k, 2) for k in range(70)]
    lo, hi = 0, len(grid) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if share(grid[mid]) <= target:
            hi = mid
        else:
            lo = mid + 1
    return grid[lo]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=1000, help="size of the labelled set (default 1000, at least 400)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--calibrate", action="store_true", help="rewrite translate/checks/data/omission.json from the calibration part")
    parser.add_argument("--false-flags", type=int, default=0, metavar="N", help="print N examples of flags on untouched pairs")
    parser.add_argument("--on", choices=("evaluation", "calibration", "all2014"), default="evaluation", help="which part to build the set from")
    parser.add_argument("--thresholds", type=lambda v: [float(x) for x in v.split(",")], default=None, metavar="T,T,...",
                        help="also print, for each name-model threshold, the recall over every name deletion and the name flags on untouched pairs (the threshold is not chosen here)")
    parser.add_argument("--no-context", action="store_true", help="check each pair alone, without its document (no name memory)")
    args = parser.parse_args(argv)
    if args.calibrate:
        data = calibrate(load(CALIBRATION), source_note="WMT newstest2019 + newstest2021 (refs A and B), ../shared/corpus/wmt/")
        path = ROOT / "translate" / "checks" / "data" / "omission.json"
        path.write_text(json.dumps(data, indent=1) + "\n", "utf-8")
        print(f"wrote {path} ({sum(b['pairs'] for b in data['bands'])} pairs)")
        from translate.checks import names, omission

        omission.bands.cache_clear()
        case = names.count_english_case(
            line for f in CASE_FILES for line in (WMT / f).read_text("utf-8").splitlines()
        )
        header = (
            "# English capitalisation of words in mid-sentence position: word<TAB>lowercase count<TAB>capitalised count.\n"
            "# Counted (first word of a sentence, quote or clause skipped) on the English references of WMT generaltest2022 (A, B),\n"
            "# generaltest2023, newstest2020 (A, B) and NTREX-128 in ../shared/corpus/wmt/: none of them used to fit the name model\n"
            "# (newstest2019, newstest2021) or to evaluate it (newstest2014). Words seen fewer than 2 times are left out.\n"
            "# Made by: python3 benchmarks/flags_eval.py --calibrate. Used by translate/checks/names.py (feature en_case).\n"
        )
        write_case_table("english_case.tsv", header, case)
        names.english_case.cache_clear()
        case = names.count_english_case(german_case_lines())
        header = (
            "# German capitalisation of words in mid-sentence position: word<TAB>lowercase count<TAB>capitalised count.\n"
            "# Counted (first word of a sentence, quote or clause skipped) on the German of WMT generaltest2022, generaltest2023,\n"
            "# newstest2020, NTREX-128, and the 10kGNAD and 20 Minuten articles in ../shared/corpus/: none of them used to fit the\n"
            "# name model (newstest2019, newstest2021) or to evaluate it (newstest2014). Words seen fewer than 2 times are left out.\n"
            "# Made by: python3 benchmarks/flags_eval.py --calibrate. Used by translate/checks/names.py (feature de_lower_share).\n"
        )
        write_case_table("german_case.tsv", header, case)
        names.german_case.cache_clear()
        model = names.fit_name_model(
            load_docs(CALIBRATION),
            source_note=f"WMT newstest2019 + newstest2021 (refs A and B), ../shared/corpus/wmt/; documents: blocks of {PSEUDO_DOCUMENT} lines",
        )
        path = ROOT / "translate" / "checks" / "data" / "names_model.json"
        path.write_text(json.dumps(model) + "\n", "utf-8")
        names._model.cache_clear()
        model["threshold"] = name_threshold(load_docs(CALIBRATION))
        model["false_flag_target"] = NAME_FALSE_FLAGS
        path.write_text(json.dumps(model) + "\n", "utf-8")
        print(f"wrote {path} ({model['examples']} examples, threshold {model['threshold']})")
        names._model.cache_clear()
    docs = load_docs({"evaluation": EVALUATION, "calibration": CALIBRATION, "all2014": EVALUATION_ALL}[args.on])
    pairs = [(de, en) for de, en, _ in docs]
    context = None if args.no_context else contexts(docs)
    labelled = build(pairs, args.pairs, args.seed)
    res = evaluate(labelled, context)
    source = {
        "evaluation": "newstest2014 originally German half (evaluation part)",
        "calibration": "newstest2019+2021 (calibration part)",
        "all2014": "all of newstest2014 (both original languages)",
    }[args.on]
    print(f"{len(labelled)} pairs from {source}, seed {args.seed}, " + ("each pair alone" if args.no_context else "each pair with its document (name memory)"))
    print(table(res))
    # Untouched: every pair of the part, not only the sampled half.
    clean_any = 0
    per_check: Counter = Counter()
    examples: dict[str, list] = defaultdict(list)
    for i, (de, en) in enumerate(pairs):
        result = check_pair(de, en, context[i] if context else None)
        clean_any += bool(result.flags)
        for flag in result.flags:
            per_check[flag] += 1
            examples[flag].append((de, en, result.details[flag]))
    sites = name_sites(pairs)
    caught = sum(bool(check_pair(pairs[k][0], bad, context[k] if context else None, names=["name-mismatch"]).flags) for k, bad in sites)
    print(f"\nEvery eligible name deletion of the part ({len(sites)} sites, each alone): name-mismatch recall {caught / len(sites):.3f}")
    print()
    print(f"All {len(pairs)} untouched pairs of the part: any flag {clean_any / len(pairs):.2%}; per check: "
          + ", ".join(f"{k} {v / len(pairs):.2%}" for k, v in per_check.most_common()))
    if args.thresholds:
        from translate.checks.names import check_names

        print("\n| name threshold | recall, every name deletion | name flags, all untouched pairs |\n|---:|---:|---:|")
        for t in args.thresholds:
            with name_model_threshold(t):
                got = sum(bool(check_names(pairs[k][0], bad, context[k] if context else None)) for k, bad in sites)
                flagged = sum(bool(check_names(de, en, context[i] if context else None)) for i, (de, en) in enumerate(pairs))
            print(f"| {t:.2f} | {got / len(sites):.3f} | {flagged / len(pairs):.2%} |")
    if args.false_flags:
        for flag, rows in examples.items():
            print(f"\n## {flag} ({len(rows)})")
            for de, en, detail in rows[: args.false_flags]:
                print(f"- {detail}\n  DE: {de[:200]}\n  EN: {en[:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
