"""Extractive briefs of newstest2014 articles, computed from their human English translations.

Shows the extractive summarizer's quality independently of the translation
model: each article of ``../shared/corpus/articles/newstest2014-origde/``
(original German news, WMT14; line 1 headline, blank, one sentence per line;
line i of ``.en.txt`` translates line i of ``.de.txt``) becomes a Document
whose targets are the human English sentences, and the brief is printed with
each bullet's sentence id, position and scores.

With ``--stats`` it also summarizes all 96 articles and prints, against the
lead-n baseline (the first n body sentences, measured in the same run): how
often the brief contains the lead sentence, how many bullets it shares with
lead-n, and the time per article.

Usage::

    python benchmarks/brief_examples.py                       # two default articles
    python benchmarks/brief_examples.py 1072-morgenpost.de 10389-suedkurier.de -n 4
    python benchmarks/brief_examples.py --stats
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from translate.config import SummarizerConfig  # noqa: E402
from translate.document import Document, Paragraph, Sentence  # noqa: E402
from translate.summarize import summarize_document  # noqa: E402
from translate.summarize.extractive import ExtractiveSummarizer, candidate_sentences  # noqa: E402

ARTICLES = REPO.parent / "shared" / "corpus" / "articles" / "newstest2014-origde"
DEFAULT_DOCIDS = ("1072-morgenpost.de", "10389-suedkurier.de")


def article_document(docid: str, folder: Path = ARTICLES) -> Document:
    """A Document from an article pair: one paragraph per line, line 1 the headline, German sources, English targets."""
    de = [x.strip() for x in (folder / f"{docid}.de.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    en = [x.strip() for x in (folder / f"{docid}.en.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    if len(de) != len(en):
        raise SystemExit(f"{docid}: {len(de)} German lines but {len(en)} English lines")
    text, paragraphs = "", []
    for i, (source, target) in enumerate(zip(de, en)):
        if text:
            text += "\n\n"
        start = len(text)
        text += source
        sentence = Sentence(id=i, source=source, span=(start, len(text)), target=target)
        paragraphs.append(Paragraph(index=i, kind="headline" if i == 0 else "body", span=(start, len(text)), sentences=(sentence,)))
    return Document(name=docid, path=str(folder / f"{docid}.de.txt"), text=text, paragraphs=tuple(paragraphs))


def show(docid: str, n: int, lead_bias: float) -> None:
    summarizer = ExtractiveSummarizer(SummarizerConfig(kind="extractive", sentences=n, lead_bias=lead_bias))
    doc = summarize_document(article_document(docid), summarizer)
    brief = doc.brief
    assert brief is not None
    ranking = {r.id: r for r in summarizer.last_ranking}
    words = sum(len((s.target or "").split()) for s in doc.sentences())
    print(f"## {docid}  ({doc.n_sentences} sentences, {words} English words; lead_bias {lead_bias:g})")
    print(f"# {brief.title}")
    for b in brief.bullets:
        r = ranking[b.support[0]]
        print(f"- {b.text}")
        print(f"    [sentence {b.support[0]}, candidate #{r.position + 1}, centrality {r.centrality:.3f}, score {r.score:.3f}]")
    print(f"({doc.meta.timings['summarize'] * 1000:.1f} ms)")
    print()


def stats(n: int, lead_bias: float) -> None:
    summarizer = ExtractiveSummarizer(SummarizerConfig(kind="extractive", sentences=n, lead_bias=lead_bias))
    docids = sorted(p.name.removesuffix(".de.txt") for p in ARTICLES.glob("*.de.txt"))
    has_lead, shared, bullets, seconds, lead_seconds = 0, [], [], [], []
    for docid in docids:
        doc = article_document(docid)
        t0 = time.perf_counter()
        lead = [s.id for s in candidate_sentences(doc)][:n]  # the lead-n baseline
        lead_seconds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        brief = summarizer.summarize(doc, n)
        seconds.append(time.perf_counter() - t0)
        ids = [b.support[0] for b in brief.bullets]
        bullets.append(len(ids))
        has_lead += bool(lead) and lead[0] in ids
        shared.append(len(set(ids) & set(lead)))
    print(f"{len(docids)} articles, n={n}, lead_bias={lead_bias:g}")
    print(f"  bullets per brief: mean {statistics.mean(bullets):.2f}, min {min(bullets)}, max {max(bullets)}")
    print(f"  briefs containing the lead sentence: {has_lead}/{len(docids)}")
    print(f"  bullets shared with lead-{n}: mean {statistics.mean(shared):.2f} of {n}")
    base = statistics.mean(lead_seconds)
    print(f"  time per article: {statistics.mean(seconds) * 1000:.2f} ms (lead-{n} candidate filter alone: {base * 1000:.2f} ms, ratio {statistics.mean(seconds) / base:.1f}x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docids", nargs="*", default=list(DEFAULT_DOCIDS))
    parser.add_argument("-n", type=int, default=4, help="bullets per brief (default 4)")
    parser.add_argument("--lead-bias", type=float, default=0.3, help="models.yaml's lead_bias (default 0.3)")
    parser.add_argument("--stats", action="store_true", help="statistics over all 96 articles")
    args = parser.parse_args(argv)
    if not ARTICLES.is_dir():
        print(f"{ARTICLES} not found (../shared/corpus must be beside the repository)", file=sys.stderr)
        return 1
    if args.stats:
        for bias in sorted({0.0, args.lead_bias, 1.0}):
            stats(args.n, bias)
        return 0
    for docid in args.docids:
        show(docid, args.n, args.lead_bias)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
