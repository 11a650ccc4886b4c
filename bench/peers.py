"""The matchers under test, each behind one small interface (`Matcher`).

- `CtscreenMatcher`: ctscreen's engine (`ctscreen.matching.Screener`), kyc profile.
- `BruteForceMatcher`: rapidfuzz over every list name (all kinds, incl. weak and original-script), best
  score per entity; scorers Jaro-Winkler, token_sort_ratio, WRatio on `bench.data.fold`ed text.
- `OfacSlsLikeMatcher`: our reading of OFAC Sanctions List Search's documented method (FAQ 249): whole-name
  Jaro-Winkler gated on the first letter, and per-part Jaro-Winkler + Soundex; the higher of the two.
- `NomenklaturaMatcher`: nomenklatura's `logic-v2` and `ofac` algorithms; candidates from nomenklatura's own
  offline blocker (`nomenklatura.blocker.Index`, DuckDB), then the algorithm's `compare` on each candidate.

Scores are all on 0..1. `search_many` is what the quality run calls (matchers may batch); `search` is one
query as the speed run times it.
"""

from __future__ import annotations

import gc
import math
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.data import BenchQuery, fold
from ctscreen.model import Entity, NameKind

Hits = list[tuple[str, float]]


class Matcher:
    name: str = "matcher"
    # a conventional threshold for the matcher alone (the profile threshold for ctscreen)
    native_threshold: float = 0.9
    # slow matchers are given a fixed subsample of the queries (bench/README.md)
    slow: bool = False
    # True when the matcher retrieves candidates before scoring (candidate recall is then measured)
    has_candidates: bool = False
    description: str = ""

    def index(self, entities: Sequence[Entity]) -> None:
        raise NotImplementedError

    def search(self, text: str, schema: str | None = None, limit: int = 10) -> Hits:
        raise NotImplementedError

    def search_many(self, queries: Sequence[BenchQuery], limit: int = 10) -> list[Hits]:
        return [self.search(q.text, q.schema, limit) for q in queries]

    def candidates(self, text: str, schema: str | None = None) -> set[str] | None:
        """Entity ids retrieved before scoring; None when the matcher compares against everything."""
        return None

    def candidates_many(self, queries: Sequence[BenchQuery]) -> list[set[str] | None]:
        return [self.candidates(q.text, q.schema) for q in queries]


# -- ctscreen --------------------------------------------------------------------------------------------


def ctscreen_available() -> tuple[bool, str]:
    try:
        from ctscreen.matching import Query, Screener  # noqa: F401
    except Exception as exc:  # the engine is being written; say why it is not there
        return False, f"{type(exc).__name__}: {exc}"
    return True, ""


class CtscreenMatcher(Matcher):
    name = "ctscreen"
    has_candidates = True
    description = "ctscreen engine, kyc profile (name + schema only)"

    def __init__(self, profile: str = "kyc") -> None:
        from ctscreen.matching import Screener

        self.profile = profile
        self.native_threshold = float(Screener.profile(profile).threshold)
        self.screener: Any = None

    def index(self, entities: Sequence[Entity]) -> None:
        from ctscreen.matching import Screener

        # Warmed like the service and batch workers (Screener.warm), and out of the collector's reach like the
        # service's index (api/state.py): the steady state a long-running screener is measured in.
        self.screener = Screener.from_entities(list(entities)).warm()
        gc.collect()
        gc.freeze()

    def _query(self, text: str, schema: str | None) -> Any:
        from ctscreen.matching import Query

        return Query(name=text, schema=schema)

    def search(self, text: str, schema: str | None = None, limit: int = 10) -> Hits:
        result = self.screener.screen(self._query(text, schema), profile=self.profile, limit=limit)
        return [(h.entity_id, float(h.score)) for h in result.hits]

    def candidates(self, text: str, schema: str | None = None) -> set[str] | None:
        return set(self.screener.candidates(self._query(text, schema)))


# -- brute force rapidfuzz -------------------------------------------------------------------------------


class _NameTable:
    """All list names, folded, grouped by entity (contiguous), for column-wise max per entity."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        import numpy as np

        self.entity_ids: list[str] = []
        self.names: list[str] = []
        starts: list[int] = []
        for e in entities:
            folded = []
            seen: set[str] = set()
            for n in e.names:
                f = fold(n.full)
                if f and f not in seen:
                    seen.add(f)
                    folded.append(f)
            if not folded:
                continue
            starts.append(len(self.names))
            self.entity_ids.append(e.entity_id)
            self.names.extend(folded)
        self.starts = np.asarray(starts, dtype=np.int64)

    def per_entity_max(self, matrix: Any) -> Any:
        import numpy as np

        return np.maximum.reduceat(matrix, self.starts, axis=1)

    def top(self, row: Any, limit: int) -> Hits:
        import numpy as np

        if limit >= row.shape[0]:
            order = np.argsort(-row, kind="stable")
        else:
            part = np.argpartition(-row, limit)[:limit]
            order = part[np.lexsort((part, -row[part]))]
        return [(self.entity_ids[i], float(row[i])) for i in order[:limit] if row[i] > 0]


class BruteForceMatcher(Matcher):
    """Every query against every list name with one rapidfuzz scorer; best name per entity."""

    def __init__(self, scorer: str, workers: int = 1) -> None:
        from rapidfuzz import fuzz
        from rapidfuzz.distance import JaroWinkler

        self.scorer_name = scorer
        scorers = {
            "jaro-winkler": (JaroWinkler.normalized_similarity, 1.0),
            "token-sort": (fuzz.token_sort_ratio, 100.0),
            "wratio": (fuzz.WRatio, 100.0),
        }
        self.scorer, self.scale = scorers[scorer]
        self.name = f"rapidfuzz-{scorer}"
        self.native_threshold = 0.9
        self.slow = scorer == "wratio"
        self.workers = workers
        self.description = f"rapidfuzz {scorer} over all {{n}} list names, best per entity"
        self.table: _NameTable | None = None

    def index(self, entities: Sequence[Entity]) -> None:
        self.table = _NameTable(entities)

    def _matrix(self, texts: Sequence[str]) -> Any:
        import numpy as np
        from rapidfuzz import process

        assert self.table is not None
        m = process.cdist(
            [fold(t) for t in texts],
            self.table.names,
            scorer=self.scorer,
            workers=self.workers,
            dtype=np.float32,
        )
        if self.scale != 1.0:
            m /= self.scale
        return self.table.per_entity_max(m)

    def search(self, text: str, schema: str | None = None, limit: int = 10) -> Hits:
        assert self.table is not None
        return self.table.top(self._matrix([text])[0], limit)

    def search_many(self, queries: Sequence[BenchQuery], limit: int = 10) -> list[Hits]:
        assert self.table is not None
        out: list[Hits] = []
        for start in range(0, len(queries), 128):
            chunk = queries[start : start + 128]
            m = self._matrix([q.text for q in chunk])
            out.extend(self.table.top(m[i], limit) for i in range(len(chunk)))
        return out


# -- OFAC Sanctions List Search, as documented ------------------------------------------------------------

SOUNDEX_CREDIT = 0.9  # a name part whose Soundex code equals the listed part's scores at least this
PART_FLOOR = 0.5  # a name-part pair below this similarity counts as unmatched (FAQ: "at least 50 % similar")


class OfacSlsLikeMatcher(Matcher):
    """Technique A: Jaro-Winkler of the whole folded query against each whole listed name, only when the first
    letters are equal. Technique B: each query part against every part of the listed name, part score =
    max(Jaro-Winkler, SOUNDEX_CREDIT if the Soundex codes are equal), below PART_FLOOR = 0; the name's score is
    the mean over query parts of each part's best. Name score = max(A, B); entity score = best name."""

    name = "ofac-sls-like"
    native_threshold = 0.9
    description = "Jaro-Winkler (whole name, first-letter gate) and per-part Jaro-Winkler + Soundex"

    def __init__(self) -> None:
        self.table: _NameTable | None = None

    def index(self, entities: Sequence[Entity]) -> None:
        import jellyfish
        import numpy as np

        self.table = _NameTable(entities)
        vocab: dict[str, int] = {}
        indices: list[int] = []
        indptr = [0]
        for name in self.table.names:
            for tok in dict.fromkeys(name.split()):
                indices.append(vocab.setdefault(tok, len(vocab)))
            indptr.append(len(indices))
        self.vocab = list(vocab)
        self.vocab_index = vocab
        self.indices = np.asarray(indices, dtype=np.int64)
        self.row_starts = np.asarray(indptr[:-1], dtype=np.int64)
        self.soundex = np.asarray([jellyfish.soundex(t) if t.isascii() else "" for t in self.vocab])
        self.first = np.asarray([n[0] for n in self.table.names])

    def _scores(self, text: str) -> Any:
        import jellyfish
        import numpy as np
        from rapidfuzz import process
        from rapidfuzz.distance import JaroWinkler

        assert self.table is not None
        q = fold(text)
        n_names = len(self.table.names)
        if not q:
            return np.zeros(len(self.table.entity_ids), dtype=np.float32)
        whole = process.cdist(
            [q], self.table.names, scorer=JaroWinkler.normalized_similarity, dtype=np.float32
        )[0]
        whole = np.where(self.first == q[0], whole, 0.0).astype(np.float32)
        parts = q.split()
        per_part = np.zeros(n_names, dtype=np.float32)
        part_scores = process.cdist(
            parts, self.vocab, scorer=JaroWinkler.normalized_similarity, dtype=np.float32
        )
        for k, part in enumerate(parts):
            s = part_scores[k]
            code = jellyfish.soundex(part) if part.isascii() else None
            if code:
                s = np.where(self.soundex == code, np.maximum(s, SOUNDEX_CREDIT), s)
            s = np.where(s >= PART_FLOOR, s, 0.0).astype(np.float32)
            per_part += np.maximum.reduceat(s[self.indices], self.row_starts)
        per_part /= len(parts)
        best = np.maximum(whole, per_part)
        return np.maximum.reduceat(best, self.table.starts)

    def search(self, text: str, schema: str | None = None, limit: int = 10) -> Hits:
        assert self.table is not None
        return self.table.top(self._scores(text), limit)


# -- nomenklatura ----------------------------------------------------------------------------------------

FTM_SCHEMA = {"person": "Person", "organization": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}
FTM_NAME_PROP = {
    NameKind.PRIMARY: "name",
    NameKind.ALIAS: "alias",
    NameKind.WEAK: "weakAlias",
    NameKind.FORMER: "previousName",
    NameKind.ORIGINAL_SCRIPT: "alias",
}
NK_CANDIDATES = 50  # yente asks its index for limit x 5 candidates (limit 10 here)
NK_CHUNK = 50  # queries per blocker call
# the blocker's per-query stopword cut (token df x query df > max_bucket_size^2) scaled to the chunk size,
# so a chunk of NK_CHUNK queries stops about the same tokens as one query at the default bucket size of 60
NK_BUCKET = int(math.ceil(60 * math.sqrt(NK_CHUNK)))


class NomenklaturaMatcher(Matcher):
    """nomenklatura's blocker for candidates (top NK_CANDIDATES per query), then `algorithm.compare`."""

    slow = True
    has_candidates = True
    _builds = 0  # index builds in this process, to keep entity ids unique across builds

    def __init__(self, algorithm: str) -> None:
        from nomenklatura.matching import ScoringConfig, get_algorithm

        alg = get_algorithm(algorithm)
        if alg is None:
            raise ValueError(f"nomenklatura has no algorithm {algorithm!r}")
        self.algorithm = alg
        self.config = ScoringConfig.defaults()
        self.name = f"nomenklatura-{algorithm}"
        self.native_threshold = 0.7  # yente's default match threshold
        self.description = f"nomenklatura {algorithm}; candidates from nomenklatura.blocker.Index (DuckDB)"
        self._n = 0
        self._last_candidates: dict[str, set[str]] = {}

    def _make(self, dataset: Any, eid: str, schema: str | None) -> Any:
        from followthemoney import StatementEntity

        return StatementEntity(dataset, {"schema": FTM_SCHEMA.get(schema or "", "LegalEntity"), "id": eid})

    def index(self, entities: Sequence[Entity]) -> None:
        from followthemoney import Dataset
        from nomenklatura.blocker import Index
        from nomenklatura.resolver.linker import Linker
        from nomenklatura.store import MemoryStore

        NomenklaturaMatcher._builds += 1
        self._generation = NomenklaturaMatcher._builds
        self.dataset = Dataset.make({"name": "bench", "title": "bench"})
        store = MemoryStore(self.dataset, Linker({}))
        self.by_id: dict[str, Any] = {}
        self.eid_of: dict[str, str] = {}
        with store.writer() as writer:
            for i, e in enumerate(entities):
                # unique per entity and per index build: the matchers cache analyses by id (lru_cache on
                # Entity.__hash__, which is the id), so an id reused by a later index would read stale names
                ftm_id = f"g{self._generation}e{i}"
                se = self._make(self.dataset, ftm_id, e.schema.value)
                for n in e.names:
                    se.add(FTM_NAME_PROP[n.kind], n.full)
                writer.add_entity(se)
                self.by_id[ftm_id] = se
                self.eid_of[ftm_id] = e.entity_id
        self._tmp = tempfile.TemporaryDirectory(prefix="bench-nk-")
        self.blocker = Index(
            store.view(self.dataset),
            Path(self._tmp.name),
            options={"max_candidates": NK_CANDIDATES, "max_bucket_size": NK_BUCKET},
        )
        self.blocker.build()

    def _query_entity(self, text: str, schema: str | None) -> Any:
        self._n += 1
        q = self._make(self.dataset, f"q{self._n}", schema)  # a fresh id per query: no stale cache hits
        q.add("name", text)
        return q

    def block(self, qents: Sequence[Any]) -> dict[str, list[str]]:
        """Candidate ftm ids per query id, from one blocker call per NK_CHUNK queries."""
        out: dict[str, list[str]] = {q.id: [] for q in qents}
        for start in range(0, len(qents), NK_CHUNK):
            chunk = qents[start : start + NK_CHUNK]
            for ident, matches in self.blocker.match_entities(chunk):
                out[ident.id] = [m.id for m, _ in matches]
        return out

    def score(self, q: Any, cand_ids: Sequence[str], limit: int) -> Hits:
        scored = []
        for cid in cand_ids:
            res = self.algorithm.compare(q, self.by_id[cid], self.config)
            if res.score > 0:
                scored.append((self.eid_of[cid], float(res.score)))
        scored.sort(key=lambda h: (-h[1], h[0]))
        return scored[:limit]

    def search_many(self, queries: Sequence[BenchQuery], limit: int = 10) -> list[Hits]:
        qents = [self._query_entity(q.text, q.schema) for q in queries]
        blocked = self.block(qents)
        self._last_candidates = {
            bq.qid: {self.eid_of[c] for c in blocked[qe.id]} for bq, qe in zip(queries, qents, strict=True)
        }
        return [self.score(qe, blocked[qe.id], limit) for qe in qents]

    def search(self, text: str, schema: str | None = None, limit: int = 10) -> Hits:
        q = self._query_entity(text, schema)
        return self.score(q, self.block([q])[q.id], limit)

    def candidates_many(self, queries: Sequence[BenchQuery]) -> list[set[str] | None]:
        return [self._last_candidates.get(q.qid, set()) for q in queries]


# -- registry --------------------------------------------------------------------------------------------

PEER_NAMES = (
    "rapidfuzz-jaro-winkler",
    "rapidfuzz-token-sort",
    "rapidfuzz-wratio",
    "ofac-sls-like",
    "nomenklatura-logic-v2",
    "nomenklatura-ofac",
)


def make_matcher(name: str, workers: int = 1) -> Matcher:
    if name == "ctscreen":
        return CtscreenMatcher()
    if name.startswith("rapidfuzz-"):
        return BruteForceMatcher(name.removeprefix("rapidfuzz-"), workers=workers)
    if name == "ofac-sls-like":
        return OfacSlsLikeMatcher()
    if name.startswith("nomenklatura-"):
        return NomenklaturaMatcher(name.removeprefix("nomenklatura-"))
    raise ValueError(f"unknown matcher {name!r}")
