"""Copy rings: small groups of students who share what the rest of the class does not write.

A pair's score (``scoring``) measures what two students share beyond each one's closest other
classmate, so three students handing in one copied answer score nothing as pairs: each one's
closest other classmate is the third member. Here the same measure is taken for a group: what
its members share with one another beyond what each shares with anyone *outside* the group.
A group counts as rare while it has at most ``ring_limit(students)`` members (15 % of the
class, at least 3); an answer a larger part of the class shares is the class's common answer,
never a ring.

Finding the candidates: two students are linked when one has, of the other's answer, enough
beyond their ``limit - 1``-th closest other classmate (members of a rare group are never that
far down each other's lists; a common answer's holders are). The candidates are each student
with everyone linked to them (an original and its copies: two disguised copies may share less
with each other than each with the original) and each connected set of linked students. One of
3 to ``limit`` students is a ring when every member's strongest link inside it still passes the
threshold with the base taken outside the group (``group_share``); the strongest candidate
is taken first and a student belongs to one ring only, so a ring is not swallowed by a looser
chain of look-alikes around it.
"""

from __future__ import annotations

from autograder.grading.similarity.model import RARE_FRACTION, RING_MIN

PairKey = tuple[str, str]
Ranked = dict[str, list[tuple[float, str]]]


def ring_limit(students: int) -> int:
    """The most members a group may have and still share something rare: 15 % of the class,
    at least ``RING_MIN``."""
    return max(RING_MIN, int(RARE_FRACTION * students))


def beyond(value: float, base: float) -> float:
    """``value`` beyond ``base``, scaled so that 1 means everything above the base."""
    return 0.0 if value <= base else (value - base) / (1.0 - base)


def ranked(shares: dict[PairKey, float]) -> Ranked:
    """``x ->`` x's shares with every classmate, largest first."""
    out: Ranked = {}
    for (x, y), value in shares.items():
        out.setdefault(x, []).append((value, y))
    for values in out.values():
        values.sort(reverse=True)
    return out


def nth_outside(values: list[tuple[float, str]], skip: set[str], rank: int) -> float:
    """The ``rank``-th largest share among classmates not in ``skip`` (0 when fewer)."""
    seen = 0
    for value, other in values:
        if other not in skip:
            seen += 1
            if seen == rank:
                return value
    return 0.0


def _linked(shares: dict[PairKey, float], order: Ranked, matched: dict[PairKey, float],
            limit: int, threshold: float, min_matched: float) -> list[PairKey]:
    """Pairs where one side has enough of the other beyond its ``limit - 1``-th closest."""
    edges = []
    for (x, y), value in shares.items():
        if x >= y or matched.get((x, y), 0.0) < min_matched:
            continue
        here = beyond(value, nth_outside(order[x], {y}, limit - 1))
        there = beyond(shares.get((y, x), 0.0), nth_outside(order[y], {x}, limit - 1))
        if max(here, there) >= threshold:
            edges.append((x, y))
    return edges


def member_links(group: list[str], shares: dict[PairKey, float], order: Ranked) -> dict[
        str, float]:
    """Each member's strongest link inside ``group``: the larger of what it has of a
    groupmate's answer and the groupmate of its own, each beyond that side's largest share
    with anyone outside the group."""
    members = set(group)
    outside = {x: nth_outside(order.get(x, []), members, 1) for x in group}
    return {x: max(max(beyond(shares.get((x, y), 0.0), outside[x]),
                       beyond(shares.get((y, x), 0.0), outside[y]))
                   for y in group if y != x)
            for x in group}


def group_share(group: list[str], shares: dict[PairKey, float], order: Ranked) -> float:
    """The weakest member's strongest link inside ``group`` (``member_links``)."""
    return min(member_links(group, shares, order).values())


def _candidates(edges: list[PairKey], limit: int) -> list[list[str]]:
    """Every linked pair, every student with the students linked to them (a star: an original
    and its copies) and every connected set of linked students, of at most ``limit``."""
    near: dict[str, set[str]] = {}
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in edges:
        near.setdefault(x, {x}).add(y)
        near.setdefault(y, {y}).add(x)
        parent[root(x)] = root(y)
    connected: dict[str, set[str]] = {}
    for x in near:
        connected.setdefault(root(x), set()).add(x)
    groups = {frozenset(g) for g in [*map(set, edges), *near.values(), *connected.values()]
              if len(g) <= limit}
    return [sorted(g) for g in groups]


def _settled(group: list[str], shares: dict[PairKey, float], order: Ranked,
             threshold: float) -> list[str]:
    """``group`` less its weakest members until every link passes (empty when fewer than 2
    are left)."""
    group = list(group)
    while len(group) >= 2:
        links = member_links(group, shares, order)
        weakest = min(group, key=lambda x: (links[x], x))
        if links[weakest] >= threshold:
            return group
        group.remove(weakest)
    return []


def _grown(group: list[str], near: set[str], shares: dict[PairKey, float], order: Ranked,
           threshold: float, limit: int) -> list[str]:
    """``group`` with the linked students whose own link into it passes, strongest first
    (adding a member never weakens the others' links: it leaves their outside)."""
    group = list(group)
    while len(group) < limit:
        tried = [(member_links([*group, x], shares, order)[x], x)
                 for x in sorted(near - set(group))]
        best = max(tried, default=(0.0, ""))
        if best[0] < threshold:
            return group
        group.append(best[1])
    return group


def find_rings(shares: dict[PairKey, float], matched: dict[PairKey, float], students: int,
               threshold: float, min_matched: float) -> list[tuple[list[str], float]]:
    """Groups of 3 to ``ring_limit(students)`` students who share what the class does not
    (``group_share`` at the threshold), with that share. Candidates (from a linked pair up)
    lose their weakest members until they pass; the strongest is taken first and grows by the
    students whose own link into it passes and who matched half of ``min_matched`` with a
    member (the group's evidence adds up); a student belongs to one ring only."""
    limit = ring_limit(students)
    order = ranked(shares)
    edges = _linked(shares, order, matched, limit, threshold, min_matched)
    settled = {tuple(g) for g in (_settled(c, shares, order, threshold)
                                  for c in _candidates(edges, limit)) if g}
    rings: list[tuple[list[str], float]] = []
    taken: set[str] = set()
    for _, core in sorted((-group_share(list(g), shares, order), g) for g in settled):
        if taken & set(core):
            continue
        near = {z for pair, units in matched.items() if units >= min_matched / 2
                and set(pair) & set(core) for z in pair}
        group = sorted(_grown(list(core), near - taken, shares, order, threshold, limit))
        if len(group) >= 3:
            rings.append((group, group_share(group, shares, order)))
            taken |= set(group)
    return sorted(rings, key=lambda r: (-r[1], r[0]))
