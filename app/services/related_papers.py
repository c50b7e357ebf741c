"""Which summaries are closest to each other: TF-IDF cosine over the summaries' words, blended
with the overlap of their tags, computed whenever the catalog loads the library (so after every
reindex, in every process).

Hand-written rather than scikit-learn's TfidfVectorizer: the library is a few dozen documents,
the maths is ten lines, and the web process should not carry scikit-learn for it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

TEXT_WEIGHT, TAG_WEIGHT = 0.7, 0.3
SHOWN = 4  # related papers per paper
_WORD = re.compile(r"[a-z][a-z-]{2,}")
_MATH = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|\\\[.*?\\\]|\\\(.*?\\\)|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)
# words every summary uses: they say nothing about what a paper is about
_STOP = frozenset("""
the and for with that this from are was were which their they them its into than then these those
has have had been being not but can could would should may might will also more most each other
such only one two three four five per when where while what who how all any both same over under
between about after before because does did our out use used using uses paper papers model models
network networks result results method methods show shows shown figure table section here there
""".split())


@dataclass(frozen=True)
class Related:
    slug: str
    score: float  # 0..1
    shared_tags: tuple[str, ...]


def _words(markdown: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(_MATH.sub(" ", markdown).lower()) if w not in _STOP)


def related_papers(papers: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, tuple[Related, ...]]:
    """{slug: (markdown, tags)} -> {slug: the SHOWN closest other papers, best first}."""
    counts = {slug: _words(markdown) for slug, (markdown, _) in papers.items()}
    documents = len(counts)
    frequency = Counter(word for words in counts.values() for word in words)
    vectors = {}
    for slug, words in counts.items():
        weights = {w: (1 + math.log(n)) * math.log((1 + documents) / (1 + frequency[w])) for w, n in words.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        vectors[slug] = {w: v / norm for w, v in weights.items()}
    tags = {slug: set(tag_names) for slug, (_, tag_names) in papers.items()}
    result = {}
    for slug, vector in vectors.items():
        scored = []
        for other, other_vector in vectors.items():
            if other == slug:
                continue
            cosine = sum(v * other_vector.get(w, 0.0) for w, v in vector.items())
            union = tags[slug] | tags[other]
            overlap = len(tags[slug] & tags[other]) / len(union) if union else 0.0
            score = TEXT_WEIGHT * cosine + TAG_WEIGHT * overlap
            scored.append(Related(other, round(score, 4), tuple(sorted(tags[slug] & tags[other]))))
        scored.sort(key=lambda item: (-item.score, item.slug))
        result[slug] = tuple(item for item in scored[:SHOWN] if item.score > 0)
    return result
