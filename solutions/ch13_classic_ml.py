# Generated from chapters/ch13_classic_ml.ipynb by `make generate`: do not edit.

import warnings

import matplotlib.pyplot as plt
import numpy as np
import torch
from scipy.spatial.distance import cdist
from scipy.special import logsumexp
from scipy.stats import entropy as scipy_entropy
from sklearn.cluster import KMeans
from sklearn.datasets import make_moons
from sklearn.decomposition import PCA as SkPCA
from sklearn.ensemble import GradientBoostingRegressor as SkGradientBoosting
from sklearn.ensemble import RandomForestClassifier as SkRandomForest
from sklearn.metrics import hinge_loss as sk_hinge_loss
from sklearn.model_selection import KFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier as SkDecisionTree

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


def knn_find_neighbors(data, query, k):
    data = np.asarray(data, dtype=float)
    query = np.asarray(query, dtype=float)
    single = query.ndim == 1
    Q = query[None, :] if single else query  # (Q, d)
    # (Q, 1, d) - (1, N, d) -> (Q, N, d) -> squared distances (Q, N).
    # Squared distances sort like distances; no sqrt needed.
    dist2 = ((Q[:, None, :] - data[None, :, :]) ** 2).sum(axis=-1)
    # A stable sort keeps equal distances in row order: ties -> smaller index.
    indices = np.argsort(dist2, axis=1, kind="stable")[:, :k]  # (Q, k)
    neighbors = data[indices]  # (Q, k, d)
    if single:
        return neighbors[0], indices[0]
    return neighbors, indices


def knn_find_neighbors_torch(data, query, k):
    single = query.dim() == 1
    Q = query[None, :] if single else query  # (Q, d)
    dist2 = ((Q[:, None, :] - data[None, :, :]) ** 2).sum(dim=-1)  # (Q, N)
    # stable=True keeps equal distances in row order: ties -> smaller index
    indices = torch.sort(dist2, dim=1, stable=True).indices[:, :k]  # (Q, k) int64
    neighbors = data[indices]  # (Q, k, d)
    if single:
        return neighbors[0], indices[0]
    return neighbors, indices


def _knn_indices(X_train, X_query, k):
    """(Q, k) indices of the k nearest training rows, ties -> smaller index."""
    dist2 = ((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=-1)
    return np.argsort(dist2, axis=1, kind="stable")[:, :k]


class KNNClassifier:
    def __init__(self, k):
        self.k = k

    def fit(self, X, y):
        self.X_ = np.asarray(X, dtype=float)
        # Encode labels as 0..C-1: np.unique sorts them, so the smallest label gets
        # code 0 and argmax (first maximum) breaks vote ties towards it.
        self.classes_, self.y_codes_ = np.unique(np.asarray(y), return_inverse=True)
        return self

    def predict(self, X):
        idx = _knn_indices(self.X_, np.asarray(X, dtype=float), self.k)  # (Q, k)
        codes = self.y_codes_[idx]  # (Q, k)
        n_classes = len(self.classes_)
        # votes[q, c] = number of neighbours of query q with class code c.
        votes = np.zeros((len(codes), n_classes), dtype=int)
        np.add.at(votes, (np.arange(len(codes))[:, None], codes), 1)
        return self.classes_[votes.argmax(axis=1)]


class KNNRegressor:
    def __init__(self, k):
        self.k = k

    def fit(self, X, y):
        self.X_ = np.asarray(X, dtype=float)
        self.y_ = np.asarray(y, dtype=float)
        return self

    def predict(self, X):
        idx = _knn_indices(self.X_, np.asarray(X, dtype=float), self.k)
        return self.y_[idx].mean(axis=1)  # uniform weights: a plain mean


class KNNClassifierTorch:
    def __init__(self, k):
        self.k = k

    def fit(self, X, y):
        self.X_ = X
        # torch.unique sorts: the smallest label gets code 0, so argmax (which returns
        # the FIRST maximum) breaks vote ties towards it.
        self.classes_, self.y_codes_ = torch.unique(y, sorted=True, return_inverse=True)
        return self

    def predict(self, X):
        dist2 = ((X[:, None, :] - self.X_[None, :, :]) ** 2).sum(dim=-1)  # (Q, N)
        idx = torch.sort(dist2, dim=1, stable=True).indices[:, : self.k]  # (Q, k)
        one_hot = torch.nn.functional.one_hot(self.y_codes_[idx], len(self.classes_))
        votes = one_hot.sum(dim=1)  # (Q, C)
        return self.classes_[votes.argmax(dim=1)]


def _assign(X, C):
    # ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2. The ||x||^2 term is the same for every
    # centroid, so it cannot change the argmin: one (N, d) @ (d, k) BLAS product
    # replaces an (N, k, d) temporary of differences.
    D = (C**2).sum(axis=1)[None, :] - 2.0 * (X @ C.T)  # (N, k), column j = centroid j
    return D.argmin(axis=1)  # the nearest centroid for each point: (N,)


def kmeans(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    X = np.asarray(X, dtype=float)
    if init is None:
        rng = np.random.default_rng(seed)
        C = X[rng.choice(len(X), size=k, replace=False)].copy()  # distinct rows
    else:
        C = np.array(init, dtype=float)  # copy: never modify the caller's array
    for _ in range(n_iter):
        labels = _assign(X, C)
        counts = np.bincount(labels, minlength=k)  # points per cluster, (k,)
        sums = np.zeros_like(C)
        np.add.at(sums, labels, X)  # per-cluster sums, (k, d)
        # empty clusters keep their old centroid (the mean of nothing would be NaN)
        C_new = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], C)
        shift = ((C_new - C) ** 2).sum()
        C = C_new
        if shift <= tol:  # converged: the labels stopped changing
            break
    return C, _assign(X, C)  # labels consistent with the returned C


def kmeans_torch(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    if init is None:
        g = torch.Generator().manual_seed(seed)  # a private generator, not the global
        C = X[torch.randperm(len(X), generator=g)[:k]].clone()  # k distinct rows
    else:
        C = init.clone().to(X.dtype)  # clone: never update the caller's init

    def assign(C):
        # (N, 1, d) - (1, k, d) -> (N, k); argmin over dim=1, the CENTROID axis
        return ((X[:, None, :] - C[None, :, :]) ** 2).sum(dim=-1).argmin(dim=1)

    for _ in range(n_iter):
        labels = assign(C)
        counts = torch.bincount(labels, minlength=k)  # points per cluster
        sums = torch.zeros_like(C).index_add_(0, labels, X)  # per-cluster sums
        means = sums / counts.clamp_min(1)[:, None]
        C_new = torch.where(counts[:, None] > 0, means, C)  # empty: keep the old one
        shift = ((C_new - C) ** 2).sum()
        C = C_new
        if shift <= tol:
            break
    return C, assign(C)


def k_fold_indices(n, k, shuffle=True, seed=None):
    if not 2 <= k <= n:
        raise ValueError(f"need 2 <= k <= n, got k={k}, n={n}")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    # The first n % k folds get one extra sample: sizes [4, 3, 3] for n=10, k=3.
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    bounds = np.concatenate([[0], np.cumsum(sizes)])

    def folds():  # a generator, so the ValueError above is raised at call time
        for start, stop in zip(bounds[:-1], bounds[1:]):
            val_idx = order[start:stop]
            in_val = np.zeros(n, dtype=bool)
            in_val[val_idx] = True
            yield np.flatnonzero(~in_val), val_idx  # train = sorted complement

    return folds()


def k_fold_indices_torch(n, k, shuffle=True, seed=None):
    if not 2 <= k <= n:
        raise ValueError(f"need 2 <= k <= n, got k={k}, n={n}")
    if shuffle:
        g = torch.Generator()
        g.manual_seed(seed) if seed is not None else g.seed()  # private generator
        order = torch.randperm(n, generator=g)
    else:
        order = torch.arange(n)
    # tensor_split gives the first n % k pieces one extra element, as KFold does
    # (torch.chunk would give ceil(n / k) per piece: [4, 4, 2] for n=10, k=3).
    blocks = torch.tensor_split(order, k)

    def folds():  # a generator, so the ValueError above is raised at call time
        for val_idx in blocks:
            in_val = torch.zeros(n, dtype=torch.bool)
            in_val[val_idx] = True
            yield torch.nonzero(~in_val).flatten(), val_idx  # train: sorted complement

    return folds()


class GaussianNaiveBayes:
    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        self.classes_ = np.unique(y)  # sorted; row i <-> classes_[i]
        C, d = len(self.classes_), X.shape[1]
        self.theta_ = np.zeros((C, d))
        self.var_ = np.zeros((C, d))
        self.class_prior_ = np.zeros(C)
        for i, c in enumerate(self.classes_):  # enumerate: index by position, not value
            rows = X[y == c]
            self.theta_[i] = rows.mean(axis=0)
            self.var_[i] = rows.var(axis=0)  # ddof=0, like scikit-learn
            self.class_prior_[i] = len(rows) / len(X)
        # Smoothing: a fraction of the largest feature variance, added to every variance.
        self.epsilon_ = self.var_smoothing * X.var(axis=0).max()
        self.var_ += self.epsilon_
        return self

    def _joint_log_likelihood(self, X):
        X = np.asarray(X, dtype=float)
        diff = X[:, None, :] - self.theta_[None, :, :]  # (Q, C, d)
        log_pdf = -0.5 * (np.log(2 * np.pi * self.var_)[None] + diff**2 / self.var_[None])
        return np.log(self.class_prior_)[None, :] + log_pdf.sum(axis=2)  # (Q, C)

    def predict_log_proba(self, X):
        jll = self._joint_log_likelihood(X)
        # Normalise in log space: stays finite even when every exp(jll) underflows.
        return jll - logsumexp(jll, axis=1, keepdims=True)

    def predict_proba(self, X):
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        return self.classes_[self._joint_log_likelihood(X).argmax(axis=1)]


class PCA:
    def __init__(self, n_components, standardize=False):
        self.n_components = n_components
        self.standardize = standardize

    def _prepare(self, X):
        Xc = np.asarray(X, dtype=float) - self.mean_  # centring is not optional
        return Xc / self.scale_ if self.standardize else Xc

    def fit(self, X):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        if self.standardize:
            std = X.std(axis=0)  # ddof=0, like StandardScaler
            self.scale_ = np.where(std > 0, std, 1.0)  # leave constant features alone
        Xc = self._prepare(X)
        cov = Xc.T @ Xc / (len(X) - 1)  # ddof=1 covariance (d, d)
        eigvals, eigvecs = np.linalg.eigh(cov)  # symmetric: real, ascending
        order = np.argsort(eigvals)[::-1][: self.n_components]  # descending: [::-1], not [::1]
        self.explained_variance_ = np.clip(eigvals[order], 0.0, None)  # tiny negatives -> 0
        self.components_ = eigvecs[:, order].T  # eigenvectors are COLUMNS
        return self

    def transform(self, X):
        return self._prepare(X) @ self.components_.T


def pca(X, n_components, standardize=False):
    Xc = X - X.mean(dim=0)
    if standardize:
        std = X.std(dim=0, correction=0)
        Xc = Xc / torch.where(std > 0, std, torch.ones_like(std))
    cov = Xc.T @ Xc / (X.shape[0] - 1)
    eigvals, eigvecs = torch.linalg.eigh(cov)  # ascending
    eigvals = torch.flip(eigvals, dims=[0])[:n_components]  # tensors have no [::-1]
    components = torch.flip(eigvecs, dims=[1])[:, :n_components].T
    return Xc @ components.T, components, eigvals.clamp_min(0.0)


def hinge_loss(w, b, X, y):
    margins = y * (X @ w + b)  # > 1: correct and outside the margin
    return float(np.maximum(0.0, 1.0 - margins).mean())


class LinearSVM:
    def __init__(self, C=1.0, lr=0.01, epochs=1000):
        self.C, self.lr, self.epochs = C, lr, epochs

    def _objective(self, w, b, X, y):
        return 0.5 * w @ w + self.C * len(X) * hinge_loss(w, b, X, y)

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        w, b = np.zeros(X.shape[1]), 0.0
        best_J, self.w, self.b = self._objective(w, b, X, y), w.copy(), b
        for _ in range(self.epochs):
            viol = y * (X @ w + b) < 1  # only margin violators have a subgradient
            grad_w = w - self.C * (y[viol, None] * X[viol]).sum(axis=0)
            grad_b = -self.C * y[viol].sum()
            w, b = w - self.lr * grad_w, b - self.lr * grad_b
            J = self._objective(w, b, X, y)
            if J < best_J:  # subgradient steps are not monotone
                best_J, self.w, self.b = J, w.copy(), float(b)
        return self

    def decision_function(self, X):
        return np.asarray(X, dtype=float) @ self.w + self.b

    def predict(self, X):
        return np.where(self.decision_function(X) >= 0, 1, -1)


class LinearSVMTorch:
    def __init__(self, C=1.0, lr=0.01, epochs=1000):
        self.C, self.lr, self.epochs = C, lr, epochs

    def _objective(self, w, b, X, y):
        hinge = torch.clamp(1.0 - y * (X @ w + b), min=0.0)  # per-point hinge, (N,)
        return 0.5 * (w @ w) + self.C * hinge.sum()

    def fit(self, X, y):
        y = y.to(X.dtype)
        w = torch.zeros(X.shape[1], dtype=X.dtype, requires_grad=True)  # X's dtype
        b = torch.zeros((), dtype=X.dtype, requires_grad=True)
        best_J = float("inf")
        for step in range(self.epochs + 1):
            J = self._objective(w, b, X, y)  # J of the current iterate
            if J.item() < best_J:  # subgradient steps are not monotone
                best_J, self.w, self.b = J.item(), w.detach().clone(), b.detach().clone()
            if step == self.epochs:
                break
            # clamp's gradient is 0 for points beyond the margin: a valid subgradient
            grad_w, grad_b = torch.autograd.grad(J, (w, b))
            with torch.no_grad():
                w -= self.lr * grad_w
                b -= self.lr * grad_b
        return self

    def decision_function(self, X):
        return X @ self.w + self.b

    def predict(self, X):
        return torch.where(self.decision_function(X) >= 0, 1, -1)


def gini(y):
    y = np.asarray(y)
    if y.size == 0:
        return 0.0  # an empty node is pure by convention
    _, counts = np.unique(y, return_counts=True)  # only the classes that occur
    p = counts / y.size
    return float(1.0 - (p**2).sum())


def entropy(y):
    y = np.asarray(y)
    if y.size == 0:
        return 0.0
    _, counts = np.unique(y, return_counts=True)
    p = counts / y.size  # p > 0 here: no 0 * log(0) = nan
    return float(-(p * np.log2(p)).sum()) + 0.0  # + 0.0 turns -0.0 into 0.0


def _weighted_impurity(S, n, criterion):
    """n * impurity of nodes with class counts S (m, C) and sizes n (m,).

    For "squared_error", S[:, 0] holds the sum of the targets. n * variance equals
    sum(y^2) - (sum y)^2 / n; the sum(y^2) terms of the two children add up to the
    parent's whatever the split, so only -(sum y)^2 / n can change the ranking.
    """
    if criterion == "gini":
        return n - (S**2).sum(axis=1) / n  # n * (1 - sum_c p_c^2)
    if criterion == "entropy":
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(S > 0, S * np.log2(S / n[:, None]), 0.0)
        return -terms.sum(axis=1)  # n * (-sum_c p_c log2 p_c)
    return -(S[:, 0] ** 2) / n  # squared error, up to a constant


def _best_split(X, Z, features, criterion):
    """(cost, feature, threshold) of the best split over `features`, or None."""
    n, best = len(X), None
    for j in features:  # ascending: a tie keeps the smaller feature
        order = np.argsort(X[:, j], kind="stable")
        xs = X[order, j]
        S = np.cumsum(Z[order], axis=0)  # S[i] = totals of the i + 1 smallest samples
        cut = np.flatnonzero(xs[1:] > xs[:-1])  # split between distinct values only
        if cut.size == 0:
            continue  # the feature is constant in this node
        n_left = cut + 1.0
        cost = _weighted_impurity(S[cut], n_left, criterion) + _weighted_impurity(
            S[-1] - S[cut], n - n_left, criterion
        )
        i = int(np.argmin(cost))  # first minimum: the smaller threshold
        if best is None or cost[i] < best[0]:
            best = (cost[i], j, (xs[cut[i]] + xs[cut[i] + 1]) / 2)  # the midpoint
    return best


class _Tree:
    """A fitted CART tree in flat arrays: node 0 is the root, feature -1 marks a leaf.

    Z holds one row per sample: one-hot classes (a leaf stores the class frequencies)
    or the regression target in one column (a leaf stores the mean).
    """

    def __init__(self, X, Z, criterion, max_depth=None, min_samples_split=2, choose_features=None):
        self.criterion, self.max_depth = criterion, max_depth
        self.min_samples_split = min_samples_split
        self.choose_features = choose_features or (lambda X: range(X.shape[1]))
        self.feature, self.threshold, self.left, self.right, self.value = [], [], [], [], []
        self._grow(X, Z, depth=0)
        self.feature = np.array(self.feature)
        self.threshold = np.array(self.threshold)
        self.left, self.right = np.array(self.left), np.array(self.right)
        self.value = np.array(self.value)

    def _grow(self, X, Z, depth):
        node, n = len(self.feature), len(X)
        self.feature.append(-1)
        self.threshold.append(np.nan)
        self.left.append(-1)
        self.right.append(-1)
        self.value.append(Z.mean(axis=0))  # class frequencies, or the mean target
        pure = np.all(Z == Z[0])  # one class, or one target value
        if (
            pure
            or n < self.min_samples_split
            or (self.max_depth is not None and depth >= self.max_depth)
        ):
            return node
        split = _best_split(X, Z, sorted(self.choose_features(X)), self.criterion)
        if split is None:  # every feature is constant: a leaf
            return node
        _, j, t = split
        go_left = X[:, j] <= t  # x <= threshold goes left (scikit-learn)
        self.feature[node], self.threshold[node] = j, t
        self.left[node] = self._grow(X[go_left], Z[go_left], depth + 1)
        self.right[node] = self._grow(X[~go_left], Z[~go_left], depth + 1)
        return node

    def apply(self, X):
        """The leaf each row of X falls into, all rows at once (one step per level)."""
        node = np.zeros(len(X), dtype=int)
        inner = self.feature[node] >= 0
        while inner.any():
            rows = np.flatnonzero(inner)
            at = node[rows]
            go_left = X[rows, self.feature[at]] <= self.threshold[at]
            node[rows] = np.where(go_left, self.left[at], self.right[at])
            inner = self.feature[node] >= 0
        return node

    def predict_proba(self, X):
        return self.value[self.apply(np.asarray(X, dtype=float))]


class DecisionTreeClassifier:
    def __init__(self, max_depth=None, min_samples_split=2, criterion="gini"):
        if criterion not in ("gini", "entropy"):
            raise ValueError(f"criterion must be 'gini' or 'entropy', got {criterion!r}")
        self.max_depth, self.min_samples_split = max_depth, min_samples_split
        self.criterion = criterion

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        Z = np.eye(len(self.classes_))[codes]  # one-hot: cumsum gives counts
        self.tree_ = _Tree(X, Z, self.criterion, self.max_depth, self.min_samples_split)
        return self

    def predict_proba(self, X):
        return self.tree_.predict_proba(X)

    def predict(self, X):
        # argmax takes the first maximum: a tie goes to the smallest label
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class _RegressionTree:
    """A CART regression tree (squared error): what each boosting stage fits."""

    def __init__(self, max_depth):
        self.max_depth = max_depth

    def fit(self, X, r):
        self.tree_ = _Tree(X, r[:, None], "squared_error", self.max_depth)
        return self

    def predict(self, X):
        return self.tree_.predict_proba(X)[:, 0]  # the leaf means


class GradientBoostingRegressor:
    def __init__(self, n_estimators=100, learning_rate=0.1, max_depth=3):
        self.n_estimators, self.learning_rate = n_estimators, learning_rate
        self.max_depth = max_depth

    def fit(self, X, y):
        X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
        self.init_ = float(y.mean())  # the best constant under squared error
        F = np.full(len(y), self.init_)  # the current prediction on the training set
        self.estimators_, self.train_loss_ = [], np.zeros(self.n_estimators)
        for m in range(self.n_estimators):
            residual = y - F  # = minus the gradient of (y - F)^2 / 2
            tree = _RegressionTree(self.max_depth).fit(X, residual)
            F = F + self.learning_rate * tree.predict(X)  # shrink every step
            self.estimators_.append(tree)
            self.train_loss_[m] = np.mean((y - F) ** 2)  # after stage m
        return self

    def predict(self, X):
        X = np.asarray(X, dtype=float)
        F = np.full(len(X), self.init_)
        for tree in self.estimators_:
            F = F + self.learning_rate * tree.predict(X)
        return F


class RandomForestClassifier:
    def __init__(
        self, n_estimators=100, max_depth=None, max_features="sqrt", bootstrap=True, seed=0
    ):
        self.n_estimators, self.max_depth = n_estimators, max_depth
        self.max_features, self.bootstrap, self.seed = max_features, bootstrap, seed

    def _n_features(self, d):
        if self.max_features is None:
            return d
        if isinstance(self.max_features, str):
            if self.max_features != "sqrt":
                raise ValueError(
                    f"max_features must be 'sqrt', None or an int, got {self.max_features!r}"
                )
            return max(1, int(np.sqrt(d)))
        return int(self.max_features)

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        N, d = X.shape
        m = self._n_features(d)
        rng = np.random.default_rng(self.seed)  # one generator for the whole forest
        self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
        Z = np.eye(len(self.classes_))[codes]

        def choose_features(X_node):
            # A fresh random subset at EVERY node; if none of its features varies in the
            # node, keep drawing (in the same random order) until one does.
            order = rng.permutation(d)
            varies = X_node[:, order].max(axis=0) > X_node[:, order].min(axis=0)
            stop = max(m, int(np.argmax(varies)) + 1)
            return order[:stop]

        self.estimators_ = []
        for _ in range(self.n_estimators):
            rows = rng.integers(0, N, size=N) if self.bootstrap else np.arange(N)
            self.estimators_.append(
                _Tree(X[rows], Z[rows], "gini", self.max_depth, 2, choose_features)
            )
        return self

    def predict_proba(self, X):
        # soft voting: average the trees' class frequencies (as scikit-learn does)
        return np.mean([tree.predict_proba(X) for tree in self.estimators_], axis=0)

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]
