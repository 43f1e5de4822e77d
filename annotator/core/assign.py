"""Planning who annotates what (pure): k curators per document, clusters kept together.

Documents of one near-duplicate cluster go to the same curators, so that no
curator sees a story they did not get in its other versions, and agreement
is not measured across copies. Each new assignment goes to the curator with
the fewest documents so far (ties: by name), never twice to one curator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def plan(
    documents: Sequence[tuple[str, str]],
    curators: Sequence[str],
    per_document: int,
    existing: Mapping[str, set[str]],
    count: int | None = None,
) -> list[tuple[str, str]]:
    """New (doc_id, curator) pairs so that each document has ``per_document`` curators.

    ``documents`` are (id, cluster) in the order to hand them out (an empty
    cluster is a cluster of one); ``existing`` maps doc_id to its curators
    already. At most ``count`` documents get new curators (whole clusters
    only; the first cluster is taken even when larger). Raises ValueError
    when ``per_document`` is not between 1 and the number of curators.
    """
    names = sorted(set(curators))
    if not 1 <= per_document <= len(names):
        raise ValueError(f"each document can get 1 to {len(names)} curator(s), not {per_document}")
    groups: dict[str, list[str]] = {}
    for doc_id, cluster in documents:
        groups.setdefault(cluster or f"\0{doc_id}", []).append(doc_id)
    load = {n: 0 for n in names}
    for who in existing.values():
        for name in who:
            if name in load:
                load[name] += 1
    out: list[tuple[str, str]] = []
    taken = 0
    for docs in groups.values():
        have = set().union(*(existing.get(d, set()) for d in docs)) & set(names)
        need = per_document - len(have)
        if need <= 0:
            continue
        if count is not None and taken and taken + len(docs) > count:
            break
        chosen = sorted((n for n in names if n not in have), key=lambda n: (load[n], n))[:need]
        for doc_id in docs:
            for name in sorted(have | set(chosen)):
                if name not in existing.get(doc_id, set()):
                    out.append((doc_id, name))
                    load[name] += 1
        taken += len(docs)
        if count is not None and taken >= count:
            break
    return out
