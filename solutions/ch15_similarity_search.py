# Generated from chapters/ch15_similarity_search.ipynb by `make generate`: do not edit.

import collections.abc
import heapq
import tracemalloc

import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy.spatial import cKDTree
from sklearn.neighbors import NearestNeighbors

from workbook.checks import Check

_ = torch.manual_seed(0)


class SparseVector:
    def __init__(self, nums):
        # Filter on the VALUE: index 0 is a perfectly good index.
        self.nz = {i: v for i, v in enumerate(nums) if v != 0}

    def dot(self, other):
        small, large = self.nz, other.nz
        if len(small) > len(large):  # loop over the sparser side, hash-look-up in the other
            small, large = large, small
        return sum(v * large[i] for i, v in small.items() if i in large)


def sparse_dot(idx_a, val_a, idx_b, val_b):
    if idx_a.numel() == 0 or idx_b.numel() == 0:
        return torch.zeros((), dtype=val_a.dtype)
    idx_a, perm_a = torch.sort(idx_a)  # sort indices and carry the values along
    val_a = val_a[perm_a]
    idx_b, perm_b = torch.sort(idx_b)
    val_b = val_b[perm_b]
    # Where would each index of a sit in b? A match is where b holds that same index.
    pos = torch.searchsorted(idx_b, idx_a).clamp(max=idx_b.numel() - 1)
    match = idx_b[pos] == idx_a
    return (val_a[match] * val_b[pos[match]]).sum()


def _unit_rows(X):
    """Rows scaled to unit length; an all-zero row stays zero (like sklearn's normalize)."""
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return X / np.where(norms > 0, norms, 1.0)


def knn_search(db, queries, k, metric="l2", chunk_size=None):
    # What makes this fast: all O(QNd) work is ONE BLAS matrix product per chunk, each
    # (rows, N) block is touched only twice more (an in-place add, then an O(N)
    # argpartition), and only k values per query are sorted and square-rooted.
    db = np.asarray(db, dtype=np.float64)
    queries = np.asarray(queries, dtype=np.float64)
    n, n_q = db.shape[0], queries.shape[0]
    if not 1 <= k <= n:
        raise ValueError(f"k must be in [1, {n}], got {k}")
    if metric == "cosine":
        db, queries = _unit_rows(db), _unit_rows(queries)  # cosine = dot of unit vectors
        db_scaled, db_offset = -db, 0.0  # rank by -cos(q, x)
    elif metric == "l2":
        # ||q - x||^2 = ||q||^2 - 2 q.x + ||x||^2, and ||q||^2 is the same for every x of a
        # row: rank by ||x||^2 - 2 q.x. The -2 is folded into db once (N x d, cheap).
        db_scaled, db_offset = -2.0 * db, np.einsum("ij,ij->i", db, db)
    else:
        raise ValueError(f"unknown metric {metric!r}: use 'l2' or 'cosine'")
    step = n_q if chunk_size is None else max(int(chunk_size), 1)
    all_d, all_i = [], []
    for start in range(0, n_q, step):  # chunk over QUERIES: indices stay global
        q = queries[start : start + step]
        score = q @ db_scaled.T  # (rows, N): the only big array
        score += db_offset  # in place: no second (rows, N) temporary
        part = np.argpartition(score, k - 1, axis=1)[:, :k]  # the k smallest, unordered, O(N)
        part_s = np.take_along_axis(score, part, axis=1)
        order = np.argsort(part_s, axis=1, kind="stable")  # sort only k values per row
        idx = np.take_along_axis(part, order, axis=1)
        best = np.take_along_axis(part_s, order, axis=1)
        if metric == "cosine":
            dist = 1.0 + best  # 1 - cos
        else:  # only k square roots per query
            q_sq = np.einsum("ij,ij->i", q, q)[:, None]
            dist = np.sqrt(np.maximum(best + q_sq, 0.0))  # rounding can dip below 0
        all_d.append(dist)
        all_i.append(idx)
    return np.concatenate(all_d), np.concatenate(all_i).astype(np.int64)


def _unit_rows_torch(X):
    """Rows scaled to unit length; an all-zero row stays zero (cosine 0, distance 1)."""
    norms = X.norm(dim=1, keepdim=True)
    return X / torch.where(norms > 0, norms, 1.0)


def knn_search_torch(db, queries, k, metric="l2", chunk_size=None):
    # Same plan as the NumPy version; torch.topk replaces argpartition + argsort, and
    # nothing leaves db's device.
    n, n_q = db.shape[0], queries.shape[0]
    if not 1 <= k <= n:
        raise ValueError(f"k must be in [1, {n}], got {k}")
    if metric == "cosine":
        db, queries = _unit_rows_torch(db), _unit_rows_torch(queries)  # new tensors
        db_scaled, db_offset = -db, 0.0
    elif metric == "l2":
        db_scaled, db_offset = -2.0 * db, (db * db).sum(dim=1)  # rank by ||x||^2 - 2 q.x
    else:
        raise ValueError(f"unknown metric {metric!r}: use 'l2' or 'cosine'")
    step = n_q if chunk_size is None else max(int(chunk_size), 1)
    all_d, all_i = [], []
    for start in range(0, n_q, step):  # chunk over queries: global indices
        q = queries[start : start + step]
        score = q @ db_scaled.T + db_offset  # (rows, N): the only big tensor
        best, idx = torch.topk(score, k, dim=1, largest=False)  # sorted ascending
        if metric == "cosine":
            dist = 1.0 + best
        else:
            dist = (best + (q * q).sum(dim=1, keepdim=True)).clamp_min(0).sqrt()
        all_d.append(dist)
        all_i.append(idx)
    return torch.cat(all_d), torch.cat(all_i)


class HyperplaneLSH:
    def __init__(self, n_planes, n_tables, seed=0):
        self.n_planes, self.n_tables, self.seed = n_planes, n_tables, seed
        self.planes = None  # (n_tables, d, n_planes), drawn when d is known

    def bits(self, X):
        X = np.atleast_2d(np.asarray(X, dtype=np.float64))
        if self.planes is None:
            rng = np.random.default_rng(self.seed)
            # Gaussian entries: the hyperplane normal points in a uniformly random direction.
            self.planes = rng.standard_normal((self.n_tables, X.shape[1], self.n_planes))
        return np.einsum("nd,tdp->tnp", X, self.planes) >= 0

    def _keys(self, X):
        # n_planes bits -> one integer bucket key per (table, row).
        return self.bits(X).astype(np.int64) @ (1 << np.arange(self.n_planes, dtype=np.int64))

    def index(self, db):
        db = np.asarray(db, dtype=np.float64)
        self.db_unit = db / np.linalg.norm(db, axis=1, keepdims=True)  # for the rerank
        keys = self._keys(db)  # (n_tables, N)
        self.tables = []
        for t in range(self.n_tables):
            buckets = {}
            for i, key in enumerate(keys[t].tolist()):
                buckets.setdefault(key, []).append(i)
            self.tables.append(buckets)
        return self

    def query(self, q, k):
        q = np.asarray(q, dtype=np.float64)
        keys = self._keys(q[None, :])[:, 0]
        cand = set()
        for t in range(self.n_tables):  # OR over tables: union of buckets
            cand.update(self.tables[t].get(int(keys[t]), ()))
        cand = np.array(sorted(cand), dtype=np.int64)
        self.n_candidates = len(cand)  # the query's cost, for the plots
        dist = 1.0 - self.db_unit[cand] @ (q / np.linalg.norm(q))  # exact rerank
        order = np.argsort(dist, kind="stable")[:k]
        return dist[order], cand[order]


class KDTree:
    def __init__(self, points, leaf_size=16):
        self.points = np.asarray(points, dtype=np.float64)
        self.leaf_size = max(int(leaf_size), 1)
        self.root = self._build(np.arange(len(self.points)))

    def _build(self, idx):
        if len(idx) <= self.leaf_size:
            return ("leaf", idx)
        pts = self.points[idx]
        dim = int(np.argmax(pts.max(axis=0) - pts.min(axis=0)))  # widest dimension
        mid = len(idx) // 2
        order = np.argpartition(pts[:, dim], mid)  # median split in O(n)
        value = pts[order[mid], dim]
        # left: coordinates <= value, right: >= value (both halves non-empty).
        return ("split", dim, value, self._build(idx[order[:mid]]), self._build(idx[order[mid:]]))

    def query(self, q, k):
        q = np.asarray(q, dtype=np.float64)
        if not 1 <= k <= len(self.points):
            raise ValueError(f"k must be in [1, {len(self.points)}], got {k}")
        self.n_distances = 0
        heap = []  # max-heap of the best k as (-d2, -i)

        def worst():
            return -heap[0][0] if len(heap) == k else np.inf

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
            visit(near)  # the side of the query first
            if diff * diff < worst():  # backtrack: can the far side hold something closer
                visit(far)  # than the current k-th best?

        visit(self.root)
        best = sorted((-neg_d2, -neg_i) for neg_d2, neg_i in heap)
        dist = np.sqrt(np.array([b[0] for b in best]))
        idx = np.array([b[1] for b in best], dtype=np.int64)
        return dist, idx


class IVFIndex:
    def __init__(self, n_list, n_probe, seed=0, n_iter=20):
        self.n_list, self.n_probe, self.seed, self.n_iter = n_list, n_probe, seed, n_iter

    @staticmethod
    def _sq_dists(X, C):
        # (n, m) squared distances via the expansion, clamped against rounding.
        return np.maximum((X**2).sum(1)[:, None] - 2 * X @ C.T + (C**2).sum(1)[None, :], 0)

    def train(self, X):
        X = np.asarray(X, dtype=np.float64)
        rng = np.random.default_rng(self.seed)
        C = X[rng.choice(len(X), self.n_list, replace=False)].copy()  # distinct starting points
        for _ in range(self.n_iter):  # Lloyd's iterations
            labels = self._sq_dists(X, C).argmin(axis=1)  # nearest = argMIN
            for j in range(self.n_list):
                members = labels == j
                if members.any():  # empty: keep old centroid
                    C[j] = X[members].mean(axis=0)
        self.centroids = C
        self.lists = [np.zeros(0, dtype=np.int64) for _ in range(self.n_list)]
        self.vectors = np.zeros((0, X.shape[1]))
        return self

    def add(self, X):
        X = np.asarray(X, dtype=np.float64)
        labels = self._sq_dists(X, self.centroids).argmin(axis=1)
        ids = len(self.vectors) + np.arange(len(X))  # ids continue after earlier adds
        for j in range(self.n_list):
            self.lists[j] = np.concatenate([self.lists[j], ids[labels == j]])
        self.vectors = np.vstack([self.vectors, X])
        return self

    def search(self, Q, k):
        Q = np.asarray(Q, dtype=np.float64)
        dist = np.full((len(Q), k), np.inf)
        idx = np.full((len(Q), k), -1, dtype=np.int64)
        probes = np.argsort(self._sq_dists(Q, self.centroids), axis=1, kind="stable")
        self.n_candidates = 0  # total cost, for the plots
        for r, q in enumerate(Q):
            cand = np.concatenate([self.lists[j] for j in probes[r, : self.n_probe]])
            self.n_candidates += len(cand)
            d = np.sqrt(np.sum((self.vectors[cand] - q) ** 2, axis=1))  # exact rerank
            order = np.argsort(d, kind="stable")[:k]
            dist[r, : len(order)] = d[order]
            idx[r, : len(order)] = cand[order]
        return dist, idx
