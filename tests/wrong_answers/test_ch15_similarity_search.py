"""Plausible wrong answers for chapter 15; each must make its item's tests cell raise."""

import heapq

import numpy as np
import torch
from harness import chapter_suite, wrong


# ---------------------------------------------------------------- 15.1
@wrong("15.1", "SparseVector")
class SparseVectorFiltersOnIndex:
    """Filters the comprehension on the index (`if i`) instead of the value: drops index 0."""

    def __init__(self, nums):
        self.nz = {i: v for i, v in enumerate(nums) if i}

    def dot(self, other):
        return sum(v * other.nz[i] for i, v in self.nz.items() if i in other.nz)


@wrong("15.1", "SparseVector")
class SparseVectorForgetsOtherValue:
    """Sums its own values at the common indices, forgetting to multiply by the other's."""

    def __init__(self, nums):
        self.nz = {i: v for i, v in enumerate(nums) if v != 0}

    def dot(self, other):
        small, large = sorted((self.nz, other.nz), key=len)
        return sum(v for i, v in small.items() if i in large)


@wrong("15.1", "SparseVector")
class SparseVectorLooksUpWrongDict:
    """Iterates over the smaller dict but looks the index up in the same (smaller) dict."""

    def __init__(self, nums):
        self.nz = {i: v for i, v in enumerate(nums) if v != 0}

    def dot(self, other):
        small, large = sorted((self.nz, other.nz), key=len)
        return sum(v * small[i] for i, v in small.items() if i in large)


# ---------------------------------------------------------------- 15.2
@wrong("15.2", "sparse_dot")
def sparse_dot_assumes_sorted(idx_a, val_a, idx_b, val_b):
    """Two-pointer merge that assumes both index tensors are already sorted."""
    total, i, j = torch.zeros((), dtype=val_a.dtype), 0, 0
    a, b = idx_a.tolist(), idx_b.tolist()
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            total = total + val_a[i] * val_b[j]
            i, j = i + 1, j + 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    return total


@wrong("15.2", "sparse_dot")
def sparse_dot_isin_misaligned(idx_a, val_a, idx_b, val_b):
    """Masks both sides with torch.isin and multiplies: values are paired by position, which
    is only right if both index tensors are sorted."""
    va = val_a[torch.isin(idx_a, idx_b)]
    vb = val_b[torch.isin(idx_b, idx_a)]
    return (va * vb).sum()


@wrong("15.2", "sparse_dot")
def sparse_dot_returns_float(idx_a, val_a, idx_b, val_b):
    """Returns a Python float (.item()) instead of a 0-d tensor."""
    idx_a, pa = torch.sort(idx_a)
    idx_b, pb = torch.sort(idx_b)
    val_a, val_b = val_a[pa], val_b[pb]
    if idx_b.numel() == 0:
        return 0.0
    pos = torch.searchsorted(idx_b, idx_a).clamp(max=idx_b.numel() - 1)
    match = idx_b[pos] == idx_a
    return float((val_a[match] * val_b[pos[match]]).sum().item())


# ---------------------------------------------------------------- 15.3
def _knn_reference_like(db, queries, k, metric, squared=False, raw_dot=False, ascending_sim=False):
    db = np.asarray(db, dtype=float)
    queries = np.asarray(queries, dtype=float)
    if k > len(db):
        raise ValueError("k > N")
    if metric == "cosine":
        if not raw_dot:
            db = db / np.linalg.norm(db, axis=1, keepdims=True)
            queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
        sim = queries @ db.T
        d = sim if ascending_sim else 1.0 - sim
    else:
        d = np.maximum((queries**2).sum(1)[:, None] - 2 * queries @ db.T + (db**2).sum(1), 0)
        if not squared:
            d = np.sqrt(d)
    idx = np.argsort(d, axis=1, kind="stable")[:, :k]
    dist = np.take_along_axis(d, idx, axis=1)
    if ascending_sim and metric == "cosine":
        dist = 1.0 - dist
    return dist, idx


@wrong("15.3", "knn_search")
def knn_search_squared_l2(db, queries, k, metric="l2", chunk_size=None):
    """Returns squared Euclidean distances for metric='l2' (same ranking, wrong values)."""
    return _knn_reference_like(db, queries, k, metric, squared=True)


@wrong("15.3", "knn_search")
def knn_search_cosine_is_dot(db, queries, k, metric="l2", chunk_size=None):
    """Uses 1 - q.x for cosine without normalising: a dot product, which favours long vectors."""
    return _knn_reference_like(db, queries, k, metric, raw_dot=True)


@wrong("15.3", "knn_search")
def knn_search_cosine_sorted_wrong_way(db, queries, k, metric="l2", chunk_size=None):
    """Sorts cosine SIMILARITY ascending, so it returns the least similar vectors."""
    return _knn_reference_like(db, queries, k, metric, ascending_sim=True)


@wrong("15.3", "knn_search")
def knn_search_chunks_db_local_indices(db, queries, k, metric="l2", chunk_size=None):
    """Chunks over the database and merges the per-chunk top k, but forgets to add the chunk
    offset to the indices."""
    db = np.asarray(db, dtype=float)
    if chunk_size is None:
        return _knn_reference_like(db, queries, k, metric)
    best_d, best_i = None, None
    for start in range(0, len(db), chunk_size):
        part = db[start : start + chunk_size]
        kk = min(k, len(part))
        d, i = _knn_reference_like(part, queries, kk, metric)  # i is local to the chunk
        if best_d is None:
            best_d, best_i = d, i
        else:
            best_d, best_i = np.c_[best_d, d], np.c_[best_i, i]
        order = np.argsort(best_d, axis=1, kind="stable")[:, :k]
        best_d = np.take_along_axis(best_d, order, axis=1)
        best_i = np.take_along_axis(best_i, order, axis=1)
    return best_d, best_i


@wrong("15.3", "knn_search")
def knn_search_drops_last_chunk(db, queries, k, metric="l2", chunk_size=None):
    """Loops over range(0, Q - chunk_size + 1, chunk_size): the last partial chunk is lost."""
    queries = np.asarray(queries, dtype=float)
    chunk = len(queries) if chunk_size is None else chunk_size
    parts = [
        _knn_reference_like(db, queries[s : s + chunk], k, metric)
        for s in range(0, len(queries) - chunk + 1, chunk)
    ]
    if not parts:
        return np.zeros((0, k)), np.zeros((0, k), dtype=np.int64)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


# ---------------------------------------------------------------- 15.4
@wrong("15.4", "HyperplaneLSH", factory=True)
def lsh_uniform_planes(ns):
    """Draws hyperplane normals from uniform [0, 1) instead of a Gaussian: all in one orthant,
    so the collision rate is no longer 1 - theta/pi."""

    class HyperplaneLSH(ns["HyperplaneLSH"]):
        def bits(self, X):
            X = np.atleast_2d(np.asarray(X, dtype=np.float64))
            if self.planes is None:
                rng = np.random.default_rng(self.seed)
                self.planes = rng.random((self.n_tables, X.shape[1], self.n_planes))
            return np.einsum("nd,tdp->tnp", X, self.planes) >= 0

    return HyperplaneLSH


@wrong("15.4", "HyperplaneLSH", factory=True)
def lsh_first_table_only(ns):
    """Builds n_tables tables but only looks in the first one at query time."""

    class HyperplaneLSH(ns["HyperplaneLSH"]):
        def query(self, q, k):
            q = np.asarray(q, dtype=np.float64)
            key = int(self._keys(q[None, :])[0, 0])
            cand = np.array(sorted(self.tables[0].get(key, ())), dtype=np.int64)
            dist = 1.0 - self.db_unit[cand] @ (q / np.linalg.norm(q))
            order = np.argsort(dist, kind="stable")[:k]
            return dist[order], cand[order]

    return HyperplaneLSH


@wrong("15.4", "HyperplaneLSH", factory=True)
def lsh_no_rerank(ns):
    """Returns the first k candidates in bucket order, without reranking by cosine distance."""

    class HyperplaneLSH(ns["HyperplaneLSH"]):
        def query(self, q, k):
            q = np.asarray(q, dtype=np.float64)
            keys = self._keys(q[None, :])[:, 0]
            cand = []
            for t in range(self.n_tables):
                for i in self.tables[t].get(int(keys[t]), ()):
                    if i not in cand:
                        cand.append(i)
            cand = np.array(cand[:k], dtype=np.int64)
            return 1.0 - self.db_unit[cand] @ (q / np.linalg.norm(q)), cand

    return HyperplaneLSH


@wrong("15.4", "HyperplaneLSH", factory=True)
def lsh_euclidean_rerank(ns):
    """Reranks the candidates by Euclidean distance and returns it instead of 1 - cos."""

    class HyperplaneLSH(ns["HyperplaneLSH"]):
        def index(self, db):
            self.db_raw = np.asarray(db, dtype=np.float64)
            return super().index(db)

        def query(self, q, k):
            q = np.asarray(q, dtype=np.float64)
            keys = self._keys(q[None, :])[:, 0]
            cand = set()
            for t in range(self.n_tables):
                cand.update(self.tables[t].get(int(keys[t]), ()))
            cand = np.array(sorted(cand), dtype=np.int64)
            dist = np.linalg.norm(self.db_raw[cand] - q, axis=1)
            order = np.argsort(dist, kind="stable")[:k]
            return dist[order], cand[order]

    return HyperplaneLSH


# ---------------------------------------------------------------- 15.5
def _kdtree_variant(ns, mode):
    class KDTree(ns["KDTree"]):
        def query(self, q, k):
            q = np.asarray(q, dtype=np.float64)
            if not 1 <= k <= len(self.points):
                raise ValueError("k out of range")
            self.n_distances = 0
            heap = []

            def visit(node):
                if node[0] == "leaf":
                    idx = node[1]
                    d2 = np.sum((self.points[idx] - q) ** 2, axis=1)
                    self.n_distances += len(idx)
                    for dist2, i in zip(d2.tolist(), idx.tolist()):
                        if len(heap) < k:
                            heapq.heappush(heap, (-dist2, -i))
                        elif dist2 < -heap[0][0]:
                            heapq.heapreplace(heap, (-dist2, -i))
                    return
                _, dim, value, left, right = node
                diff = q[dim] - value
                near, far = (left, right) if diff < 0 else (right, left)
                visit(near)
                if mode == "no_backtrack":
                    return
                if mode == "prune_with_nearest":
                    bound = min(-h[0] for h in heap) if len(heap) == k else np.inf
                else:
                    bound = -heap[0][0] if len(heap) == k else np.inf
                if diff * diff < bound:
                    visit(far)

            visit(self.root)
            best = sorted((-a, -b) for a, b in heap)
            d = np.array([b[0] for b in best])
            return (d if mode == "squared" else np.sqrt(d)), np.array([b[1] for b in best])

    return KDTree


@wrong("15.5", "KDTree", factory=True)
def kdtree_no_backtracking(ns):
    """Descends to the query's leaf and never visits the other side of a splitting plane."""
    return _kdtree_variant(ns, "no_backtrack")


@wrong("15.5", "KDTree", factory=True)
def kdtree_prunes_with_nearest(ns):
    """Prunes the far side against the NEAREST distance found, not the k-th: misses
    neighbours when k > 1."""
    return _kdtree_variant(ns, "prune_with_nearest")


@wrong("15.5", "KDTree", factory=True)
def kdtree_squared_distances(ns):
    """Returns squared Euclidean distances."""
    return _kdtree_variant(ns, "squared")


@wrong("15.5", "KDTree")
class KDTreeBruteForce:
    """No tree at all: computes every distance (correct answers, no speed-up)."""

    def __init__(self, points, leaf_size=16):
        self.points = np.asarray(points, dtype=np.float64)

    def query(self, q, k):
        if k > len(self.points):
            raise ValueError("k > N")
        d = np.linalg.norm(self.points - q, axis=1)
        self.n_distances = len(self.points)
        idx = np.argsort(d, kind="stable")[:k]
        return d[idx], idx


# ---------------------------------------------------------------- 15.6
@wrong("15.6", "IVFIndex", factory=True)
def ivf_ids_restart_each_add(ns):
    """Numbers each add() batch from 0 again, so ids of the second batch collide with the first."""

    class IVFIndex(ns["IVFIndex"]):
        def add(self, X):
            X = np.asarray(X, dtype=np.float64)
            labels = self._sq_dists(X, self.centroids).argmin(axis=1)
            ids = np.arange(len(X))
            for j in range(self.n_list):
                self.lists[j] = np.concatenate([self.lists[j], ids[labels == j]])
            self.vectors = np.vstack([self.vectors, X])
            return self

    return IVFIndex


@wrong("15.6", "IVFIndex", factory=True)
def ivf_probes_farthest_lists(ns):
    """Sorts centroid distances descending and probes the FARTHEST lists."""

    class IVFIndex(ns["IVFIndex"]):
        @staticmethod
        def _sq_dists(X, C):
            return -np.maximum((X**2).sum(1)[:, None] - 2 * X @ C.T + (C**2).sum(1)[None, :], 0)

        def train(self, X):
            X = np.asarray(X, dtype=np.float64)
            rng = np.random.default_rng(self.seed)
            C = X[rng.choice(len(X), self.n_list, replace=False)].copy()
            for _ in range(self.n_iter):
                labels = (-self._sq_dists(X, C)).argmin(axis=1)
                for j in range(self.n_list):
                    if (labels == j).any():
                        C[j] = X[labels == j].mean(axis=0)
            self.centroids = C
            self.lists = [np.zeros(0, dtype=np.int64) for _ in range(self.n_list)]
            self.vectors = np.zeros((0, X.shape[1]))
            return self

        def add(self, X):
            X = np.asarray(X, dtype=np.float64)
            labels = (-self._sq_dists(X, self.centroids)).argmin(axis=1)
            ids = len(self.vectors) + np.arange(len(X))
            for j in range(self.n_list):
                self.lists[j] = np.concatenate([self.lists[j], ids[labels == j]])
            self.vectors = np.vstack([self.vectors, X])
            return self

    return IVFIndex


@wrong("15.6", "IVFIndex", factory=True)
def ivf_assigns_with_argmax(ns):
    """Puts each added vector in the list of its FARTHEST centroid (argmax for argmin)."""

    class IVFIndex(ns["IVFIndex"]):
        def add(self, X):
            X = np.asarray(X, dtype=np.float64)
            labels = self._sq_dists(X, self.centroids).argmax(axis=1)
            ids = len(self.vectors) + np.arange(len(X))
            for j in range(self.n_list):
                self.lists[j] = np.concatenate([self.lists[j], ids[labels == j]])
            self.vectors = np.vstack([self.vectors, X])
            return self

    return IVFIndex


@wrong("15.6", "IVFIndex", factory=True)
def ivf_returns_squared_distances(ns):
    """Returns squared L2 distances."""

    class IVFIndex(ns["IVFIndex"]):
        def search(self, Q, k):
            dist, idx = super().search(Q, k)
            return dist**2, idx

    return IVFIndex


# ---------------------------------------------------------------- added for issue 16
@wrong("15.1", "SparseVector")
class SparseVectorLoopsOverSelf:
    """Always loops over its own non-zeros, even when the other vector is much sparser."""

    def __init__(self, nums):
        self.nz = {i: v for i, v in enumerate(nums) if v != 0}

    def dot(self, other):
        return sum(v * other.nz[i] for i, v in self.nz.items() if i in other.nz)


@wrong("15.1", "SparseVector")
class SparseVectorKeySetIntersection:
    """Intersects the two key sets (set(a) & set(b)): walks BOTH vectors, O(nnz_a + nnz_b)."""

    def __init__(self, nums):
        self.nz = {i: v for i, v in enumerate(nums) if v != 0}

    def dot(self, other):
        return sum(self.nz[i] * other.nz[i] for i in set(self.nz) & set(other.nz))


@wrong("15.1", "SparseVector")
class SparseVectorDense:
    """Keeps the dense list and multiplies element by element: O(n), no sparsity at all."""

    def __init__(self, nums):
        self.values = list(nums)

    def dot(self, other):
        return sum(a * b for a, b in zip(self.values, other.values))


@wrong("15.2", "sparse_dot")
def sparse_dot_scans_b_for_each_a(idx_a, val_a, idx_b, val_b):
    """The notes' version: for each entry of a, scan b for its index (O(nnz_a) Python steps)."""
    total = torch.zeros((), dtype=val_a.dtype)
    for i in range(idx_a.shape[0]):
        hit = idx_b == idx_a[i]
        total = total + (val_a[i] * val_b[hit]).sum()
    return total


@wrong("15.2", "sparse_dot")
def sparse_dot_dict_via_tolist(idx_a, val_a, idx_b, val_b):
    """A hash map built with .tolist(): right number, but leaves the tensor world (no GPU)."""
    b = dict(zip(idx_b.tolist(), val_b.tolist()))
    total = sum(v * b[i] for i, v in zip(idx_a.tolist(), val_a.tolist()) if i in b)
    return torch.tensor(float(total), dtype=val_a.dtype)


@wrong("15.2", "sparse_dot")
def sparse_dot_sorts_inputs_in_place(idx_a, val_a, idx_b, val_b):
    """Sorts the caller's tensors in place (copy_) "to avoid allocations"."""
    if idx_a.numel() == 0 or idx_b.numel() == 0:
        return torch.zeros((), dtype=val_a.dtype)
    for idx, val in ((idx_a, val_a), (idx_b, val_b)):
        sorted_idx, perm = torch.sort(idx)
        val.copy_(val[perm])
        idx.copy_(sorted_idx)
    pos = torch.searchsorted(idx_b, idx_a).clamp(max=idx_b.numel() - 1)
    match = idx_b[pos] == idx_a
    return (val_a[match] * val_b[pos[match]]).sum()


def _knn_v2(
    db,
    queries,
    k,
    metric="l2",
    chunk_size=None,
    normalise=None,
    cast=None,
    ignore_chunks=False,
    unknown_is_l2=False,
):
    db, queries = np.asarray(db), np.asarray(queries)
    if cast is not None:
        db, queries = db.astype(cast), queries.astype(cast)
    else:
        db, queries = db.astype(np.float64, copy=False), queries.astype(np.float64, copy=False)
    if not 1 <= k <= len(db):
        raise ValueError("k")
    if metric == "cosine":
        db, queries = normalise(db), normalise(queries)
    elif metric != "l2" and not unknown_is_l2:
        raise ValueError("metric")
    step = len(queries) if (chunk_size is None or ignore_chunks) else chunk_size
    out_d, out_i = [], []
    for s in range(0, len(queries), step):
        q = queries[s : s + step]
        if metric == "cosine":
            d = 1.0 - q @ db.T
        else:
            d = np.sqrt(np.maximum((q**2).sum(1)[:, None] - 2 * q @ db.T + (db**2).sum(1), 0))
        idx = np.argsort(d, axis=1, kind="stable")[:, :k]
        out_d.append(np.take_along_axis(d, idx, axis=1))
        out_i.append(idx)
    return np.concatenate(out_d), np.concatenate(out_i).astype(np.int64)


def _safe_unit(X):
    n = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(n > 0, n, 1.0)


@wrong("15.3", "knn_search")
def knn_search_normalises_in_place(db, queries, k, metric="l2", chunk_size=None):
    """Normalises db and queries in place for cosine (X /= norms): the caller's data changes."""

    def normalise(X):
        n = np.linalg.norm(X, axis=1, keepdims=True)
        X /= np.where(n > 0, n, 1.0)
        return X

    return _knn_v2(db, queries, k, metric, chunk_size, normalise=normalise)


@wrong("15.3", "knn_search")
def knn_search_zero_vector_nan(db, queries, k, metric="l2", chunk_size=None):
    """Divides by the norm unguarded: a zero vector becomes NaN under cosine (sklearn: 1)."""

    def normalise(X):
        with np.errstate(invalid="ignore", divide="ignore"):
            return X / np.linalg.norm(X, axis=1, keepdims=True)

    return _knn_v2(db, queries, k, metric, chunk_size, normalise=normalise)


@wrong("15.3", "knn_search")
def knn_search_ignores_chunk_size(db, queries, k, metric="l2", chunk_size=None):
    """Accepts chunk_size but builds the whole (Q, N) matrix anyway: same answer, O(QN) memory."""
    return _knn_v2(db, queries, k, metric, chunk_size, normalise=_safe_unit, ignore_chunks=True)


@wrong("15.3", "knn_search")
def knn_search_unknown_metric_is_l2(db, queries, k, metric="l2", chunk_size=None):
    """Treats every metric other than "cosine" as L2: a typo such as "euclidean" goes unnoticed."""
    return _knn_v2(db, queries, k, metric, chunk_size, normalise=_safe_unit, unknown_is_l2=True)


@wrong("15.3", "knn_search")
def knn_search_float32(db, queries, k, metric="l2", chunk_size=None):
    """Computes in float32 "for speed": distances lose precision (and come back float32)."""
    return _knn_v2(db, queries, k, metric, chunk_size, normalise=_safe_unit, cast=np.float32)


@wrong("15.4", "HyperplaneLSH", factory=True)
def lsh_scans_everything(ns):
    """Hashes, but reranks the whole database: exact answers, no pruning (n_candidates = N)."""

    class LSH(ns["HyperplaneLSH"]):
        def query(self, q, k):
            q = np.asarray(q, dtype=np.float64)
            dist = 1.0 - self.db_unit @ (q / np.linalg.norm(q))
            order = np.argsort(dist, kind="stable")[:k]
            self.n_candidates = len(dist)
            return dist[order], order

    return LSH


@wrong("15.4", "HyperplaneLSH", factory=True)
def lsh_global_rng(ns):
    """Draws the planes with np.random.seed(seed) + np.random.standard_normal (global state)."""

    class LSH(ns["HyperplaneLSH"]):
        def bits(self, X):
            X = np.atleast_2d(np.asarray(X, dtype=np.float64))
            if self.planes is None:
                np.random.seed(self.seed)
                self.planes = np.random.standard_normal((self.n_tables, X.shape[1], self.n_planes))
            return np.einsum("nd,tdp->tnp", X, self.planes) >= 0

    return LSH


@wrong("15.4", "HyperplaneLSH", factory=True)
def lsh_strict_sign(ns):
    """Uses planes . x > 0 for the bit: a zero vector (and any point on a plane) hashes to 0s."""

    class LSH(ns["HyperplaneLSH"]):
        def bits(self, X):
            X = np.atleast_2d(np.asarray(X, dtype=np.float64))
            if self.planes is None:
                rng = np.random.default_rng(self.seed)
                self.planes = rng.standard_normal((self.n_tables, X.shape[1], self.n_planes))
            return np.einsum("nd,tdp->tnp", X, self.planes) > 0

    return LSH


@wrong("15.4", "HyperplaneLSH", factory=True)
def lsh_normalises_db_in_place(ns):
    """Normalises the caller's database in place in index() (db /= norms)."""
    base = ns["HyperplaneLSH"]

    class LSH(base):
        def index(self, db):
            db /= np.linalg.norm(db, axis=1, keepdims=True)
            return base.index(self, db)

    return LSH


@wrong("15.5", "KDTree", factory=True)
def kdtree_splits_by_value(ns):
    """Splits into coordinate < median and >= median: many duplicates leave one side empty,
    and the recursion never ends."""
    base = ns["KDTree"]

    class KDTree(base):
        def _build(self, idx):
            if len(idx) <= self.leaf_size:
                return ("leaf", idx)
            pts = self.points[idx]
            dim = int(np.argmax(pts.max(axis=0) - pts.min(axis=0)))
            value = float(np.median(pts[:, dim]))
            left, right = idx[pts[:, dim] < value], idx[pts[:, dim] >= value]
            return ("split", dim, value, self._build(left), self._build(right))

    return KDTree


@wrong("15.5", "KDTree", factory=True)
def kdtree_reorders_points_in_place(ns):
    """Sorts the caller's points in place by the first coordinate while building."""
    base = ns["KDTree"]

    class KDTree(base):
        def __init__(self, points, leaf_size=16):
            points = np.asarray(points)
            order = np.argsort(points[:, 0], kind="stable")
            self.perm = order
            points[:] = points[order]  # the caller's array is reordered
            super().__init__(points, leaf_size)

        def query(self, q, k):
            dist, idx = super().query(q, k)
            return dist, self.perm[idx]

    return KDTree


@wrong("15.6", "IVFIndex", factory=True)
def ivf_random_centroids_only(ns):
    """Picks n_list random rows as centroids and skips the Lloyd iterations: unbalanced lists."""
    base = ns["IVFIndex"]

    class IVF(base):
        def __init__(self, n_list, n_probe, seed=0):
            super().__init__(n_list, n_probe, seed=seed, n_iter=0)

    return IVF


@wrong("15.6", "IVFIndex", factory=True)
def ivf_searches_everything(ns):
    """Ignores the lists at search time and ranks the whole database (exact, no pruning)."""
    base = ns["IVFIndex"]

    class IVF(base):
        def search(self, Q, k):
            Q = np.asarray(Q, dtype=np.float64)
            d = np.sqrt(self._sq_dists(Q, self.vectors))
            idx = np.argsort(d, axis=1, kind="stable")[:, :k]
            dist = np.take_along_axis(d, idx, axis=1)
            pad = k - idx.shape[1]
            if pad > 0:
                dist = np.pad(dist, ((0, 0), (0, pad)), constant_values=np.inf)
                idx = np.pad(idx, ((0, 0), (0, pad)), constant_values=-1)
            return dist, idx.astype(np.int64)

    return IVF


@wrong("15.6", "IVFIndex", factory=True)
def ivf_global_rng(ns):
    """Chooses the initial centroids with np.random.seed(seed) + np.random.choice."""
    base = ns["IVFIndex"]

    class IVF(base):
        def train(self, X):
            X = np.asarray(X, dtype=np.float64)
            np.random.seed(self.seed)
            C = X[np.random.choice(len(X), self.n_list, replace=False)].copy()
            for _ in range(self.n_iter):
                labels = self._sq_dists(X, C).argmin(axis=1)
                for j in range(self.n_list):
                    if (labels == j).any():
                        C[j] = X[labels == j].mean(axis=0)
            self.centroids = C
            self.lists = [np.zeros(0, dtype=np.int64) for _ in range(self.n_list)]
            self.vectors = np.zeros((0, X.shape[1]))
            return self

    return IVF


# ---------------------------------------------------------------- added for issue 17
# 15.3 knn_search_torch
def _knn_torch(
    db,
    queries,
    k,
    metric="l2",
    chunk_size=None,
    largest=False,
    squared=False,
    raw_dot=False,
    full=False,
    cdist=False,
):
    n = db.shape[0]
    if not 1 <= k <= n:
        raise ValueError("bad k")
    if metric not in ("l2", "cosine"):
        raise ValueError("bad metric")
    if metric == "cosine" and not raw_dot:
        dn, qn = db.norm(dim=1, keepdim=True), queries.norm(dim=1, keepdim=True)
        db, queries = db / torch.where(dn > 0, dn, 1), queries / torch.where(qn > 0, qn, 1)
    step = len(queries) if (chunk_size is None or full) else chunk_size
    ds, is_ = [], []
    for s in range(0, len(queries), step):
        q = queries[s : s + step]
        if metric == "cosine":
            score = 1 - q @ db.T
        elif cdist:
            score = torch.cdist(q, db)
        else:
            score = ((q * q).sum(1, keepdim=True) - 2 * q @ db.T + (db * db).sum(1)).clamp_min(0)
            if not squared:
                score = score.sqrt()
        if largest:
            best, idx = torch.topk(score, k, dim=1)
        else:
            best, idx = torch.topk(score, k, dim=1, largest=False)
        ds.append(best)
        is_.append(idx)
    return torch.cat(ds), torch.cat(is_)


@wrong("15.3", "knn_search_torch")
def knn_torch_topk_largest(db, queries, k, metric="l2", chunk_size=None):
    """torch.topk(dist, k) with its default largest=True: returns the k FARTHEST vectors."""
    return _knn_torch(db, queries, k, metric, chunk_size, largest=True)


@wrong("15.3", "knn_search_torch")
def knn_torch_squared_l2(db, queries, k, metric="l2", chunk_size=None):
    """Returns squared distances for l2 (forgets the sqrt after the expansion)."""
    return _knn_torch(db, queries, k, metric, chunk_size, squared=True)


@wrong("15.3", "knn_search_torch")
def knn_torch_cosine_is_dot(db, queries, k, metric="l2", chunk_size=None):
    """1 - q @ db.T without normalising: a dot product, which prefers long vectors."""
    return _knn_torch(db, queries, k, metric, chunk_size, raw_dot=True)


@wrong("15.3", "knn_search_torch")
def knn_torch_ignores_chunk_size(db, queries, k, metric="l2", chunk_size=None):
    """Accepts chunk_size but builds the whole (Q, N) distance matrix: O(QN) memory."""
    return _knn_torch(db, queries, k, metric, chunk_size, full=True)


@wrong("15.3", "knn_search_torch")
def knn_torch_norm_without_dim(db, queries, k, metric="l2", chunk_size=None):
    """The source notes' torch.norm without dim: normalises by the norm of the WHOLE matrix,
    so cosine ranks by the raw dot product."""
    if metric == "cosine":
        return _knn_torch(
            db / torch.norm(db), queries / torch.norm(queries), k, metric, chunk_size, raw_dot=True
        )
    return _knn_torch(db, queries, k, metric, chunk_size)


@wrong("15.3", "knn_search_torch")
def knn_torch_float32(db, queries, k, metric="l2", chunk_size=None):
    """Casts to float32 ("GPUs like float32"): float64 inputs lose precision and dtype."""
    return _knn_torch(db.float(), queries.float(), k, metric, chunk_size)


@wrong("15.3", "knn_search_torch")
def knn_torch_normalises_in_place(db, queries, k, metric="l2", chunk_size=None):
    """Normalises in place for cosine (db.div_(norms)): the caller's tensors change."""
    if metric == "cosine":
        db.div_(db.norm(dim=1, keepdim=True).clamp_min(1e-300))
        queries.div_(queries.norm(dim=1, keepdim=True).clamp_min(1e-300))
    return _knn_torch(db, queries, k, metric, chunk_size)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
