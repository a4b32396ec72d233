"""Tests of the brief: the extractive summarizer, traceability (support.py), the stage function.

Documents are built directly with :mod:`translate.document` classes from real
article pairs (``tests/data/summarize/*.{de,en}.txt``, copied from
``../shared/corpus/articles/newstest2014-origde/``: line 1 headline, blank line,
one sentence per line, line i of the English is the human translation of line
i of the German), one paragraph per line, so these tests need neither the
segmenter nor a translation model. The abstractive summarizer is tested in
``test_summarize_abstractive.py``.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path
from typing import Sequence

import pytest

from translate.config import SummarizerConfig
from translate.document import (
    FLAG_PASSTHROUGH,
    FLAG_REPETITION,
    FLAG_UNSUPPORTED,
    Document,
    Paragraph,
    Sentence,
    check_alignment,
)
from translate.errors import ConfigError
from translate.summarize import (
    ExtractiveSummarizer,
    Summarizer,
    find_support,
    load_summarizer,
    summarize_document,
    unsupported_terms,
)
from translate.summarize.extractive import NEAR_DUPLICATE, candidate_sentences, lexrank, overlap_coefficient
from translate.summarize.support import bullet_flags
from translate.summarize.words import content_terms, count_words, key_terms

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "summarize"
ARTICLES = ("10035-wienerzeitung.at", "1045-schwarzwaelder-bote.de", "10389-suedkurier.de")
CORPUS_ARTICLES = HERE.parent.parent / "shared" / "corpus" / "articles" / "newstest2014-origde"

# ---------------------------------------------------------------------------
# document builders

SentenceSpec = Sequence[object]  # (source, target) or (source, target, flags)


def make_document(name: str, paragraphs: Sequence[tuple[str, Sequence[SentenceSpec]]]) -> Document:
    """A translated Document from ``(kind, [(source, target[, flags]), …])`` paragraphs.

    The source text is the paragraphs' sources, sentences joined by a space,
    paragraphs by a blank line; spans are exact, ids run 0..n-1, and a
    sentence flagged ``passthrough`` is marked as such.
    """
    text = ""
    built: list[Paragraph] = []
    sid = 0
    for kind, specs in paragraphs:
        if text:
            text += "\n\n"
        p_start = len(text)
        sentences: list[Sentence] = []
        for j, spec in enumerate(specs):
            source, target = str(spec[0]), str(spec[1])
            flags = tuple(spec[2]) if len(spec) > 2 else ()  # type: ignore[arg-type]
            if j:
                text += " "
            start = len(text)
            text += source
            sentences.append(
                Sentence(id=sid, source=source, span=(start, len(text)), target=target, flags=flags, passthrough=FLAG_PASSTHROUGH in flags)
            )
            sid += 1
        built.append(Paragraph(index=len(built), kind=kind, span=(p_start, len(text)), sentences=tuple(sentences)))
    return Document(name=name, path=None, text=text, paragraphs=tuple(built))


def article_document(de_path: Path, en_path: Path, name: str | None = None) -> Document:
    """A Document from a newstest2014-origde article pair: one paragraph per line, line 1 the headline.

    The German lines are the sources, the human English lines the targets.
    """
    de = [line.strip() for line in de_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    en = [line.strip() for line in en_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(de) == len(en), f"{de_path.name}: {len(de)} German lines, {len(en)} English lines"
    paragraphs = [("headline" if i == 0 else "body", [(d, e)]) for i, (d, e) in enumerate(zip(de, en))]
    return make_document(name or de_path.name.removesuffix(".de.txt"), paragraphs)


def load_article(docid: str, folder: Path = DATA) -> Document:
    return article_document(folder / f"{docid}.de.txt", folder / f"{docid}.en.txt", docid)


def extractive(**settings: object) -> ExtractiveSummarizer:
    return ExtractiveSummarizer(SummarizerConfig(kind="extractive", **settings))  # type: ignore[arg-type]


def assert_extractive_brief(doc: Document, n_wanted: int, summarizer: ExtractiveSummarizer) -> None:
    """The invariants of an extractive brief (issue 5's tests), on one document."""
    out = summarize_document(doc, summarizer, n_wanted)
    brief = out.brief
    assert brief is not None
    targets = {s.id: s.target for s in doc.sentences()}
    ids = [b.support[0] for b in brief.bullets]
    strict = len(candidate_sentences(doc))
    usable = strict if strict >= min(n_wanted, 3) else len(candidate_sentences(doc, relaxed=True))
    assert 1 <= len(brief.bullets) <= min(n_wanted, usable)
    if usable >= 3 and n_wanted >= 3:
        assert len(brief.bullets) >= 3, f"{doc.name}: only {len(brief.bullets)} bullets from {usable} usable sentences"
    assert ids == sorted(set(ids)), f"{doc.name}: bullets not in document order: {ids}"
    for bullet in brief.bullets:
        assert len(bullet.support) == 1
        assert bullet.support[0] in targets
        assert bullet.text == targets[bullet.support[0]]
        assert bullet.flags == ()
    headline = doc.paragraphs[0]
    assert headline.kind == "headline"
    assert not set(ids) & {s.id for s in headline.sentences}
    assert brief.title == headline.sentences[0].target
    for a, b in itertools.combinations(brief.bullets, 2):
        overlap = overlap_coefficient(frozenset(content_terms(a.text)), frozenset(content_terms(b.text)))
        assert overlap < NEAR_DUPLICATE, f"{doc.name}: near-duplicate bullets {a.text!r} / {b.text!r}"


# ---------------------------------------------------------------------------
# extractive: real articles


@pytest.mark.parametrize("docid", ARTICLES)
def test_article_documents_are_aligned(docid: str) -> None:
    doc = load_article(docid)
    check_alignment(doc)
    assert doc.paragraphs[0].kind == "headline"


@pytest.mark.parametrize("docid", ARTICLES)
def test_extractive_brief_on_real_articles(docid: str) -> None:
    doc = load_article(docid)
    assert_extractive_brief(doc, 4, extractive())
    brief = summarize_document(doc, extractive()).brief
    assert brief is not None and len(brief.bullets) == 4  # cfg.sentences default
    assert brief.summarizer == "extractive"


def test_extractive_brief_content_of_a_known_article() -> None:
    """10389: the lead sentence (Wolf's visit) is in the brief, the headline is the title."""
    doc = load_article("10389-suedkurier.de")
    brief = extractive().summarize(doc)
    assert brief.title == "Networking between universities and companies is important"
    assert brief.bullets[0].support == (1,)
    assert "Guido Wolf" in brief.bullets[0].text


@pytest.mark.skipif(not CORPUS_ARTICLES.is_dir(), reason="../shared/corpus is not beside the repository")
def test_extractive_brief_on_every_newstest2014_origde_article() -> None:
    """All 96 original-German WMT14 articles (4–67 sentences), 3 and 5 bullets."""
    paths = sorted(CORPUS_ARTICLES.glob("*.de.txt"))
    assert len(paths) == 96
    summarizer = extractive()
    for path in paths:
        doc = article_document(path, path.with_name(path.name.replace(".de.txt", ".en.txt")))
        for n in (3, 5):
            assert_extractive_brief(doc, n, summarizer)


def test_n_bullets_override_and_cap() -> None:
    doc = load_article("1045-schwarzwaelder-bote.de")  # headline + 6 body sentences
    assert len(extractive().summarize(doc, 2).bullets) == 2
    assert len(extractive(sentences=3).summarize(doc).bullets) == 3
    many = extractive().summarize(doc, 20).bullets
    assert len(many) <= 6
    assert [b.support[0] for b in many] == sorted(b.support[0] for b in many)
    with pytest.raises(ConfigError, match="at least 1"):
        extractive().summarize(doc, 0)


@pytest.mark.parametrize("docid", ARTICLES)
@pytest.mark.parametrize("budget", (25, 40, 60, 100))
def test_word_budget_bounds_the_brief(docid: str, budget: int) -> None:
    """``words``: bullets fit the budget (count_words), stay whole sentences, in document order."""
    doc = load_article(docid)
    summarizer = extractive(words=budget, sentences=20)
    brief = summarizer.summarize(doc)
    targets = {s.id: s.target for s in doc.sentences()}
    total = sum(count_words(b.text) for b in brief.bullets)
    assert brief.bullets
    ids = [b.support[0] for b in brief.bullets]
    assert ids == sorted(ids)
    assert all(b.text == targets[b.support[0]] for b in brief.bullets)
    if len(brief.bullets) > 1 or not summarizer.last_warnings:
        assert total <= budget, (budget, total)
    # The budget is filled: no unused candidate sentence would still fit.
    left = budget - total
    chosen = set(ids)
    terms = {s.id: frozenset(content_terms(s.target or "")) for s in candidate_sentences(doc)}
    for s in candidate_sentences(doc):
        if s.id in chosen or count_words(s.target or "") > left:
            continue
        assert any(overlap_coefficient(terms[s.id], terms[c]) >= NEAR_DUPLICATE for c in chosen), (
            f"{docid}: {s.id} ({count_words(s.target or '')} words) fits the {left} words left"
        )


def test_word_budget_skips_a_long_sentence_for_a_shorter_one() -> None:
    long_lead = "The city council of Rottweil decided on Monday evening, after a long and heated debate about costs, " \
        "traffic and the protection of the old town, to build a new bridge over the Neckar river."
    doc = make_document(
        "budget",
        [
            ("headline", [("Brücke", "Bridge")]),
            ("body", [("Lang.", long_lead)]),
            ("body", [("Kurz.", "The bridge over the Neckar will cost twelve million euros.")]),
            ("body", [("Noch.", "Construction of the Neckar bridge starts in spring.")]),
        ],
    )
    assert count_words(long_lead) > 30
    full = extractive(sentences=3).summarize(doc)
    assert full.bullets[0].support == (1,)  # unbudgeted, the lead wins
    budgeted = extractive(sentences=3, words=20)
    brief = budgeted.summarize(doc)
    assert [b.support for b in brief.bullets] == [(2,), (3,)]
    assert not budgeted.last_warnings
    tiny = extractive(words=5)
    brief = tiny.summarize(doc)
    best = max(tiny.last_ranking, key=lambda r: (r.score, -r.position))
    assert [b.support for b in brief.bullets] == [(best.id,)]  # the best-ranked sentence, over budget
    assert tiny.last_warnings and "no sentence fits the budget of 5 words" in tiny.last_warnings[0]


def test_word_budget_config_validation() -> None:
    with pytest.raises(ValueError, match="greater than or equal to 5"):
        SummarizerConfig(kind="extractive", words=4)
    assert SummarizerConfig(kind="extractive").words is None


def test_count_words() -> None:
    assert count_words("Die Firma „Müller & Söhne“ – 3,5 % mehr.") == 6
    assert count_words("") == 0 and count_words(" - *** ") == 0


# ---------------------------------------------------------------------------
# extractive: what may become a bullet

CENTRAL = "The mayor of Rottweil said the new bridge over the Neckar will open in spring next year."


def test_non_body_paragraphs_and_fragments_are_never_bullets() -> None:
    """Captions, bylines, datelines-only, headings, separators, short and flagged sentences are skipped,
    even when they repeat the article's central words."""
    doc = make_document(
        "kinds",
        [
            ("headline", [("Neue Brücke", "New bridge over the Neckar in Rottweil")]),
            ("caption", [("© dpa. Der Bürgermeister", "© dpa. The mayor of Rottweil at the new bridge over the Neckar, which will open in spring.")]),
            ("byline", [("Von Anna Schmidt", "By Anna Schmidt")]),
            ("dateline", [("ROTTWEIL (dpa) –", "ROTTWEIL (dpa) -")]),
            ("body", [("Satz eins.", CENTRAL), ("Ja.", "Yes, the bridge.")]),
            ("heading", [("BRÜCKE ÜBER DEN NECKAR", "THE BRIDGE OVER THE NECKAR IN ROTTWEIL WILL OPEN IN SPRING")]),
            ("separator", [("***", "***", (FLAG_PASSTHROUGH,))]),
            ("body", [("Satz zwei.", "Construction of the bridge over the Neckar cost the town of Rottweil four million euros.")]),
            ("body", [("Satz drei.", "The mayor of Rottweil expects the bridge bridge bridge bridge bridge bridge to open.", (FLAG_REPETITION,))]),
            ("body", [("Satz vier.", "Many residents had waited years for a second crossing of the river Neckar.")]),
            ("body", [("Satz fünf.", "The old bridge will be closed for repairs once the new one opens in spring.")]),
        ],
    )
    check_alignment(doc)
    brief = extractive().summarize(doc, 5)
    chosen = {b.support[0] for b in brief.bullets}
    by_id = {s.id: s for s in doc.sentences()}
    kind_of = {s.id: p.kind for p in doc.paragraphs for s in p.sentences}
    assert chosen, "no bullets"
    for sid in chosen:
        assert kind_of[sid] == "body"
        assert FLAG_REPETITION not in by_id[sid].flags
        assert len(by_id[sid].target.split()) >= 6  # type: ignore[union-attr]
    assert brief.title == "New bridge over the Neckar in Rottweil"
    assert len(brief.bullets) == 4  # the 4 full, unflagged body sentences


def test_flagged_sentences_are_used_only_when_nothing_else_is_left() -> None:
    doc = make_document(
        "flagged",
        [
            ("body", [("a", CENTRAL)]),
            ("body", [("b", "Traffic on the old road was stopped stopped stopped stopped for hours.", (FLAG_REPETITION,))]),
        ],
    )
    summarizer = extractive()
    brief = summarizer.summarize(doc, 2)
    assert [b.support[0] for b in brief.bullets] == [0, 1]
    assert summarizer.last_warnings and "short or flagged" in summarizer.last_warnings[0]


def test_near_duplicates_are_dropped() -> None:
    restated = "The mayor of Rottweil said on Monday the new bridge over the Neckar will open in spring next year."
    doc = make_document(
        "dups",
        [
            ("body", [("a", CENTRAL)]),
            ("body", [("b", "Construction of the bridge over the Neckar cost the town of Rottweil four million euros.")]),
            ("body", [("c", restated)]),
            ("body", [("d", "Many residents had waited years for a second crossing of the river Neckar.")]),
        ],
    )
    brief = extractive().summarize(doc, 4)
    texts = [b.text for b in brief.bullets]
    assert not (CENTRAL in texts and restated in texts)
    assert len(texts) == 3


def test_lead_bias() -> None:
    doc = load_article("10389-suedkurier.de")
    candidates = [s.id for s in candidate_sentences(doc)]
    lead_only = extractive(lead_bias=1.0).summarize(doc, 4)
    assert [b.support[0] for b in lead_only.bullets] == candidates[:4]
    summarizer = extractive(lead_bias=0.0)
    centrality_only = summarizer.summarize(doc, 4)
    best = max(summarizer.last_ranking, key=lambda r: r.centrality)
    assert best.id in {b.support[0] for b in centrality_only.bullets}
    assert all(r.score == pytest.approx(r.centrality / best.centrality) for r in summarizer.last_ranking)


def test_lexrank_properties() -> None:
    assert lexrank([]) == []
    assert lexrank([["a"]]) == [1.0]
    same = lexrank([["bridge", "neckar"], ["bridge", "neckar"], ["bridge", "neckar"]])
    assert same == pytest.approx([1 / 3] * 3)
    scores = lexrank([["bridge", "neckar", "mayor"], ["bridge", "neckar"], ["bridge", "mayor"], ["weather", "sunny"]])
    assert sum(scores) == pytest.approx(1.0)
    assert scores[0] == max(scores)
    assert scores[3] == min(scores)


def test_summarize_document_sets_brief_and_meta() -> None:
    doc = load_article("10035-wienerzeitung.at").with_meta(warnings=["earlier warning"], timings={"translate": 1.5})
    out = summarize_document(doc, extractive(), 3)
    assert doc.brief is None  # the input is unchanged
    assert out.brief is not None and len(out.brief.bullets) == 3
    assert out.paragraphs == doc.paragraphs
    assert out.meta.timings["translate"] == 1.5
    assert out.meta.timings["summarize"] >= 0.0
    assert out.meta.warnings == ["earlier warning"]


def test_a_document_without_body_gets_an_empty_brief_and_a_warning() -> None:
    doc = make_document("empty", [("headline", [("Nur Titel", "Only a headline")]), ("byline", [("Von X", "By X")])])
    out = summarize_document(doc, extractive())
    assert out.brief is not None and out.brief.bullets == () and out.brief.title == "Only a headline"
    assert any("no bullet" in w for w in out.meta.warnings)


def test_load_summarizer_extractive() -> None:
    summarizer = load_summarizer("extractive", SummarizerConfig(kind="extractive", sentences=3))
    assert isinstance(summarizer, ExtractiveSummarizer)
    assert isinstance(summarizer, Summarizer)
    assert summarizer.name == "extractive"
    assert len(summarizer.summarize(load_article("10035-wienerzeitung.at")).bullets) == 3


def test_extractive_imports_no_torch() -> None:
    code = (
        "import sys\n"
        "from translate.config import SummarizerConfig\n"
        "from translate.summarize import load_summarizer, summarize_document\n"
        "from tests.test_summarize import load_article\n"
        "s = load_summarizer('extractive', SummarizerConfig(kind='extractive'))\n"
        "doc = summarize_document(load_article('10389-suedkurier.de'), s)\n"
        "assert len(doc.brief.bullets) == 4\n"
        "heavy = [m for m in ('torch', 'transformers', 'nltk') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=HERE.parent, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------
# traceability: find_support, unsupported_terms


def test_find_support_of_an_article_sentence_is_that_sentence() -> None:
    doc = load_article("10389-suedkurier.de")
    for s in doc.sentences():
        if len(s.target.split()) >= 6:  # type: ignore[union-attr]
            assert find_support(s.target, doc)[0] == s.id  # type: ignore[arg-type]


def test_find_support_of_a_fused_bullet_names_both_sources() -> None:
    doc = load_article("10389-suedkurier.de")
    bullet = "Guido Wolf visited Titisee-Neustadt and praised the family-friendly approach within the district."
    support = find_support(bullet, doc)
    assert support[0] == 1  # "On a visit to the district ... Guido Wolf in Titisee-Neustadt ..."
    assert 6 in support  # "He also praised the family-friendly approach within the district."
    assert len(support) <= 3
    assert find_support(bullet, doc, k=1) == (1,)


def test_find_support_of_an_unrelated_bullet_is_empty() -> None:
    doc = load_article("10389-suedkurier.de")
    assert find_support("The weather in Tokyo was sunny and warm all weekend.", doc) == ()
    assert find_support("", doc) == ()
    assert bullet_flags("The weather in Tokyo was sunny and warm all weekend.", (), doc) == (FLAG_UNSUPPORTED,)


def test_unsupported_fires_on_an_invented_number() -> None:
    doc = load_article("10389-suedkurier.de")
    faithful = "Since 2011, the Support Centre and the schools in Titisee-Neustadt have worked together."
    invented = "Since 2011, the Support Centre and 45 schools in Titisee-Neustadt have worked together."
    assert unsupported_terms(faithful, doc) == []
    assert unsupported_terms(invented, doc) == ["45"]
    support = find_support(invented, doc)
    assert support and support[0] == 5
    assert bullet_flags(faithful, find_support(faithful, doc), doc) == ()
    assert bullet_flags(invented, support, doc) == (FLAG_UNSUPPORTED,)


def test_unsupported_fires_on_an_invented_name() -> None:
    doc = load_article("10389-suedkurier.de")
    assert unsupported_terms("Wolf met Angela Merkel in Titisee-Neustadt.", doc) == ["Angela", "Merkel"]
    assert unsupported_terms("Guido Wolf's visit pleased Claudia Stehle.", doc) == []


def test_numbers_match_however_written() -> None:
    doc = make_document(
        "numbers",
        [("body", [("a", "For more than thirty years, the town has paid 1,000 euros a year to Russia.")])],
    )
    assert unsupported_terms("The town paid 1000 euros a year for 30 years.", doc) == []
    assert unsupported_terms("The Russian town paid 1,000 euros for three decades.", doc) == []
    assert unsupported_terms("The town paid 1,500 euros for 31 years.", doc) == ["1500", "31"]


def test_key_terms() -> None:
    assert key_terms("Putin's talks with Kim in Vladivostok on 13 September cost 1,000 rubles.") == [
        "Putin", "Kim", "Vladivostok", "September", "13", "1000",
    ]
    assert key_terms("The mayor said so.") == []
    assert key_terms("NATO warned the U.S. again.") == ["NATO", "U.S"]
    assert key_terms("Angela Merkel spoke.") == ["Angela", "Merkel"]
    assert key_terms("Merkel spoke.") == []  # a lone first-word name is not recognised
