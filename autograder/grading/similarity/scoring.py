"""Which pairs of students share what the rest of the class does not, and which groups of
students hand in one answer together.

Why a pair is scored this way. Every fingerprint of a cell weighs by its rarity in the class
(``rarity``: 1 when only two students hold it, ``1/(df-1)`` when ``df`` do, 0 when all do), and
``share(x, y)`` is the weighted part of x's own units (filtered characters or words) that y also
has, over x's own units at the same weights. That share alone cannot tell a copy from the
common answer: when nine students hand in the same short code, every fingerprint weighs 1/8
above and below the fraction, the weights cancel and all 36 pairs read 100 %. Dividing by an
unweighted count instead does not cancel them, but it also sinks copies whose pieces are each
common (prose assembled from the phrases everybody uses, a copy of an answer made of common
lines): the rare thing there is the combination, not any one fingerprint.

So a pair is scored by what the two share *beyond anyone else*. With ``base`` the largest
share x has with any third student (how much of x's answer the class writes anyway)::

    exclusive(x, y) = (share(x, y) - base) / (1 - base)    (0 when share(x, y) <= base)

the part of what x could have shared beyond the class that y does share (agreement beyond
chance, as in Cohen's kappa, with the closest other classmate as the chance level). Nine
students with one answer: every one of them has another at 100 %, so every pair scores 0 (and
the group is a cluster, below). A copy: the copier has all of x's answer, the nearest honest
student only the common part, so the copy scores high whether what nobody else has is rare
lines or a rare combination of common ones. The pair's score is the larger of
``exclusive(a, b)`` and ``exclusive(b, a)`` (a copier who added dead code has a lower share of
their own answer than the original); it is flagged when that passes the threshold and enough
weighted units matched (``MIN_MATCHED``), so one rare line shared by two short answers is not
enough.

Why rings. That rule alone is blind to three or more students who hand in one copied answer,
however disguised: each one's closest other classmate is another member, so every pair inside
scores 0. Rarity is therefore a property of a group's size, not only of a fingerprint: an answer
held by at most ``rings.ring_limit`` students (15 % of the class, at least 3) is rare, one held
by more is the class's common answer. ``rings`` scores a group the way a pair is scored, with
the base taken *outside* the group: each member's strongest link inside it (the larger side's
share beyond that side's largest share with a non-member) must pass the threshold. A ring of
copies scores high (its members share the original, the rest of the class only what everybody
writes); nine or twenty students with the common answer are never a ring (too many), and they
are never linked to anyone by it (a group of more than ``limit`` gives each member ``limit`` or
more classmates at the same share, and links are taken beyond the ``limit - 1``-th). Candidate
groups start from linked pairs, stars (an original and its copies: two disguised copies may
share less with each other than with the original) and connected sets, shed members whose link
fails, and grow by the students whose own link into them passes (rings.py). A ring is listed
once as a ``rare`` cluster, with its members, its share and the first member's answer to each
item it shares; its own pairs are not listed again. The price: three honest students who wrote
the same uncommon code by chance read as a ring, as two such students read as a pair.

Why same-answer clusters. Students whose answers to an item are the same answer (fingerprint
sets overlapping by ``CLUSTER_JACCARD`` or more, so renames and layout do not split them) and
number at least ``CLUSTER_MIN`` are one group: such a group is listed once, with its members,
the answer and its size, and the same group over several items is one entry. A large one is
usually the common short answer; one inside a ring is left to the ring. Its members' pairs are
not listed for that answer (each member has another at the same share), but a pair inside a
group that also shares code of its own beyond the group's answer is still flagged by that code.
"""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from autograder.grading.similarity.fingerprints import fingerprint, rarity
from autograder.grading.similarity.model import (
    CLUSTER_JACCARD,
    CLUSTER_MIN,
    MIN_MATCHED,
    THRESHOLD,
    Answer,
    CellMatch,
    Cluster,
    Doc,
    Findings,
    Pair,
)
from autograder.grading.similarity.rings import find_rings

PairKey = tuple[str, str]


def _spans(positions: list[int], k: int, doc: Doc) -> list[tuple[int, int]]:
    """Merged raw character spans covered by fingerprints at ``positions``."""
    spans: list[tuple[int, int]] = []
    for p in sorted(positions):
        start, end = p, min(p + k, len(doc.starts)) - 1
        raw = (int(doc.starts[start]), int(doc.ends[end]))
        if spans and raw[0] <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], raw[1]))
        else:
            spans.append(raw)
    return spans


def weighted_units(doc: Doc, shared: dict[int, float]) -> float:
    """Units of ``doc`` covered by the ``shared`` fingerprints, each at its weight (a unit
    covered by several counts once, at the largest)."""
    cover = np.zeros(len(doc.starts))
    for h, w in shared.items():
        for p in doc.grams[h]:
            np.maximum(cover[p:p + doc.k], w, out=cover[p:p + doc.k])
    return float(cover.sum())


def own_units(doc: Doc) -> float:
    """Units of ``doc`` that any of its fingerprints covers, unweighted (the denominator)."""
    return weighted_units(doc, dict.fromkeys(doc.grams, 1.0))


def _cell_match(a: Doc, b: Doc, weights: dict[int, float]) -> CellMatch | None:
    shared = {h: weights[h] for h in a.grams.keys() & b.grams.keys() if weights[h] > 0}
    if not shared:
        return None
    return CellMatch(a.answer.cell, a.answer.item, weighted_units(a, shared),
                     weighted_units(b, shared),
                     _spans([p for h in shared for p in a.grams[h]], a.k, a),
                     _spans([p for h in shared for p in b.grams[h]], b.k, b))


def _jaccard(a: Doc, b: Doc) -> float:
    both = len(a.grams.keys() & b.grams.keys())
    return both / max(1, len(a.grams.keys() | b.grams.keys()))


def _components(size: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    """Connected groups of ``range(size)`` joined by ``edges`` (union-find), largest first."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in edges:
        parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in range(size):
        groups.setdefault(root(i), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g))


def _compare_cell(docs: list[Doc], per_pair: dict[PairKey, list[CellMatch]],
                  totals: Counter[str]) -> list[list[Doc]]:
    """Add one cell's matches to ``per_pair`` and its own units to ``totals``; return the groups
    of at least ``CLUSTER_MIN`` students who handed in the same answer to it."""
    df = Counter(h for d in docs for h in d.grams)
    weights = {h: rarity(n, len(docs)) for h, n in df.items()}
    holders: dict[int, list[int]] = {}
    for i, d in enumerate(docs):
        totals[d.answer.student] += weighted_units(d, {h: weights[h] for h in d.grams})
        for h in d.grams:
            holders.setdefault(h, []).append(i)
    candidates = {(i, j) for idx in holders.values() for x, i in enumerate(idx)
                  for j in idx[x + 1:]}
    same: list[tuple[int, int]] = []
    for i, j in sorted(candidates):
        a, b = sorted((docs[i], docs[j]), key=lambda d: d.answer.student)
        if _jaccard(a, b) >= CLUSTER_JACCARD:
            same.append((i, j))
        match = _cell_match(a, b, weights)
        if match is not None:
            per_pair.setdefault((a.answer.student, b.answer.student), []).append(match)
    return [[docs[i] for i in group] for group in _components(len(docs), same)
            if len(group) >= CLUSTER_MIN]


def _shares(per_pair: dict[PairKey, list[CellMatch]],
            totals: Counter[str]) -> dict[PairKey, float]:
    """``(x, y) ->`` the rarity-weighted share of x's own units that y also has."""
    shares: dict[PairKey, float] = {}
    for (sa, sb), matches in per_pair.items():
        shares[(sa, sb)] = sum(m.matched_a for m in matches) / (totals[sa] or 1.0)
        shares[(sb, sa)] = sum(m.matched_b for m in matches) / (totals[sb] or 1.0)
    return shares


def exclusive_shares(shares: dict[PairKey, float]) -> dict[PairKey, float]:
    """``(x, y) ->`` how much of x's own units y has beyond x's closest other classmate:
    ``(share - base) / (1 - base)``, ``base`` x's largest share with a third student."""
    top: dict[str, list[tuple[float, str]]] = {}
    for (x, y), value in shares.items():
        top.setdefault(x, []).append((value, y))
    for x, values in top.items():
        top[x] = sorted(values, reverse=True)[:2]
    out = {}
    for (x, y), value in shares.items():
        others = [v for v, z in top[x] if z != y]
        base = others[0] if others else 0.0
        out[(x, y)] = 0.0 if value <= base else (value - base) / (1.0 - base)
    return out


def _matched(per_pair: dict[PairKey, list[CellMatch]]) -> dict[PairKey, float]:
    """``(a, b) ->`` rarity-weighted units matched, the larger side."""
    return {key: max(sum(m.matched_a for m in matches), sum(m.matched_b for m in matches))
            for key, matches in per_pair.items()}


def _flagged(notebook: str, kind: str, per_pair: dict[PairKey, list[CellMatch]],
             shares: dict[PairKey, float], threshold: float) -> list[tuple[Pair, list[CellMatch]]]:
    """The pairs whose larger exclusive share passes ``threshold`` with enough matched."""
    exclusive = exclusive_shares(shares)
    matched_all = _matched(per_pair)
    out = []
    for (sa, sb), matches in sorted(per_pair.items()):
        share_a, share_b = exclusive[(sa, sb)], exclusive[(sb, sa)]
        matched = matched_all[(sa, sb)]
        if max(share_a, share_b) < threshold or matched < MIN_MATCHED[kind]:
            continue
        out.append((Pair(notebook, kind, sa, sb, round(max(share_a, share_b), 3),
                         round(share_a, 3), round(share_b, 3), round(matched, 1),
                         _items(matches, kind)), matches))
    return out


def _items(matches: list[CellMatch], kind: str) -> list[str]:
    """The items where enough was matched (all matched items when none has enough alone)."""
    items = [m.item for m in matches if max(m.matched_a, m.matched_b) >= MIN_MATCHED[kind] / 2]
    return items or [m.item for m in matches]


def _rings(notebook: str, kind: str, per_pair: dict[PairKey, list[CellMatch]],
           shares: dict[PairKey, float], students: int, threshold: float,
           found: Findings) -> list[Cluster]:
    """The copy rings of one notebook and kind, each a ``rare`` cluster showing its first
    member's answer to every item the ring shares."""
    out = []
    for members, score in find_rings(shares, _matched(per_pair), students, threshold,
                                     MIN_MATCHED[kind]):
        matches = [m for (a, b), ms in per_pair.items() if a in members and b in members
                   for m in ms]
        cells = {m.item: m.cell for m in matches}
        items = sorted(set(_items(matches, kind)))
        shown = {item: found.answers[(notebook, members[0], cells[item])].text.strip("\n")
                 for item in items if (notebook, members[0], cells[item]) in found.answers}
        out.append(Cluster(notebook, kind, members, items, shown, rare=True,
                           share=round(score, 3)))
    return out


def _clusters(notebook: str, kind: str, groups: list[list[Doc]]) -> list[Cluster]:
    """One cluster per set of students, gathering every item where that set shares an answer."""
    merged: dict[tuple[str, ...], tuple[list[str], dict[str, str]]] = {}
    for group in groups:
        members = tuple(sorted(d.answer.student for d in group))
        first = min(group, key=lambda d: d.answer.student).answer
        items, shown = merged.setdefault(members, ([], {}))
        items.append(first.item)
        shown[first.item] = first.text.strip("\n")
    return [Cluster(notebook, kind, list(members), items, shown)
            for members, (items, shown) in merged.items()]


def _fingerprinted(answers: list[Answer], found: Findings) -> dict[
        tuple[str, str], dict[str, list[Doc]]]:
    """Every answer recorded in ``found`` and fingerprinted, by (notebook, kind) and cell."""
    groups: dict[tuple[str, str], dict[str, list[Doc]]] = {}
    students: dict[str, set[str]] = {}
    for answer in answers:
        found.answers[(answer.notebook, answer.student, answer.cell)] = answer
        students.setdefault(answer.notebook, set()).add(answer.student)
        cells = groups.setdefault((answer.notebook, answer.kind), {})
        doc = fingerprint(answer)
        cells.setdefault(answer.cell, [])
        if doc is not None:
            cells[answer.cell].append(doc)
    found.students.update({nb: len(s) for nb, s in students.items()})
    return groups


def _notebook(notebook: str, kind: str, cells: dict[str, list[Doc]], threshold: float,
              found: Findings) -> None:
    """Pairs, rings and same-answer groups of one notebook and kind, added to ``found``. A
    ring's own pairs and any same-answer group inside a ring are listed as the ring alone."""
    per_pair: dict[PairKey, list[CellMatch]] = {}
    totals: Counter[str] = Counter()
    same: list[list[Doc]] = []
    for _, docs in sorted(cells.items()):
        same += _compare_cell(docs, per_pair, totals)
    shares = _shares(per_pair, totals)
    rings = _rings(notebook, kind, per_pair, shares, len(totals), threshold, found)
    ringed = [set(r.students) for r in rings]
    for pair, matches in _flagged(notebook, kind, per_pair, shares, threshold):
        if not any({pair.a, pair.b} <= members for members in ringed):
            found.pairs.append(pair)
            found.matches[(notebook, kind, pair.a, pair.b)] = matches
    found.clusters += rings + [c for c in _clusters(notebook, kind, same)
                               if not any(set(c.students) <= m for m in ringed)]


def compare(answers: list[Answer], threshold: float = THRESHOLD,
            findings: Findings | None = None) -> Findings:
    """Flag the pairs of students who share rare answers, gather copy rings and the groups who
    share one answer into clusters, notebook by notebook."""
    started = time.monotonic()
    found = findings or Findings(threshold=threshold)
    found.threshold = threshold
    for (notebook, kind), cells in sorted(_fingerprinted(answers, found).items()):
        _notebook(notebook, kind, cells, threshold, found)
    found.pairs.sort(key=lambda p: (p.notebook, p.kind, -p.share, p.a, p.b))
    found.clusters.sort(key=lambda c: (c.notebook, c.kind, not c.rare, c.size, c.students))
    found.seconds += time.monotonic() - started
    return found
