"""Plausible wrong answers for chapter 13; each must make its item's tests cell raise."""

import collections

import numpy as np
import torch
from harness import chapter_suite, wrong


# ---------------------------------------------------------------- 13.1
def _sq_dists(data, query):
    Q = np.atleast_2d(np.asarray(query, dtype=float))
    return Q, ((Q[:, None, :] - np.asarray(data, dtype=float)[None]) ** 2).sum(-1)


def _pack(data, query, indices):
    data = np.asarray(data, dtype=float)
    if np.asarray(query).ndim == 1:
        return data[indices[0]], indices[0]
    return data[indices], indices


@wrong("13.1", "knn_find_neighbors")
def knn_farthest_first(data, query, k):
    """Sorts distances in descending order: returns the k farthest rows."""
    _, d2 = _sq_dists(data, query)
    return _pack(data, query, np.argsort(-d2, axis=1, kind="stable")[:, :k])


@wrong("13.1", "knn_find_neighbors")
def knn_reversed_tie_order(data, query, k):
    """Sorts by negated distance and reverses: ties come out larger index first (D11)."""
    _, d2 = _sq_dists(data, query)
    order = np.argsort(-d2, axis=1, kind="stable")[:, ::-1]
    return _pack(data, query, order[:, :k])


@wrong("13.1", "knn_find_neighbors")
def knn_argpartition_unsorted(data, query, k):
    """Uses np.argpartition and never sorts the k nearest: the order is arbitrary."""
    _, d2 = _sq_dists(data, query)
    idx = np.argpartition(d2, k - 1, axis=1)[:, :k]
    return _pack(data, query, idx[:, ::-1])


@wrong("13.1", "knn_find_neighbors")
def knn_manhattan(data, query, k):
    """Uses the L1 (Manhattan) distance instead of the Euclidean distance."""
    Q = np.atleast_2d(np.asarray(query, dtype=float))
    d1 = np.abs(Q[:, None, :] - np.asarray(data, dtype=float)[None]).sum(-1)
    return _pack(data, query, np.argsort(d1, axis=1, kind="stable")[:, :k])


# ---------------------------------------------------------------- 13.2
def _knn_idx(Xt, Xq, k):
    d2 = ((np.asarray(Xq, float)[:, None, :] - Xt[None]) ** 2).sum(-1)
    return np.argsort(d2, axis=1, kind="stable")[:, :k]


class _BaseKNN:
    def __init__(self, k):
        self.k = k

    def fit(self, X, y):
        self.X_, self.y_ = np.asarray(X, float), np.asarray(y)
        return self


@wrong("13.2", "KNNClassifier")
class KNNClassifierCounterMostCommon(_BaseKNN):
    """Counter(...).most_common(1): a vote tie goes to the nearest neighbour's label."""

    def predict(self, X):
        idx = _knn_idx(self.X_, X, self.k)
        return np.array(
            [collections.Counter(self.y_[row].tolist()).most_common(1)[0][0] for row in idx]
        )


@wrong("13.2", "KNNClassifier")
class KNNClassifierLargestOnTie(_BaseKNN):
    """Breaks vote ties towards the largest label (argmax over reversed classes)."""

    def predict(self, X):
        idx = _knn_idx(self.X_, X, self.k)
        classes = np.unique(self.y_)[::-1]
        votes = (self.y_[idx][:, :, None] == classes[None, None, :]).sum(1)
        return classes[votes.argmax(1)]


@wrong("13.2", "KNNClassifier")
class KNNClassifierBincountLabelValue(_BaseKNN):
    """np.bincount on the label values: only works for small non-negative int labels."""

    def predict(self, X):
        idx = _knn_idx(self.X_, X, self.k)
        return np.array([np.bincount(self.y_[row]).argmax() for row in idx])


@wrong("13.2", "KNNRegressor")
class KNNRegressorMedian(_BaseKNN):
    """Predicts the median of the neighbours' targets instead of the mean."""

    def predict(self, X):
        return np.median(self.y_.astype(float)[_knn_idx(self.X_, X, self.k)], axis=1)


@wrong("13.2", "KNNRegressor")
class KNNRegressorOffByOne(_BaseKNN):
    """Takes k + 1 neighbours (a slice [:k+1] meant to skip the query itself)."""

    def predict(self, X):
        return self.y_.astype(float)[_knn_idx(self.X_, X, self.k + 1)].mean(axis=1)


@wrong("13.2", "KNNRegressor")
class KNNRegressorDistanceWeighted(_BaseKNN):
    """Weights neighbours by 1/distance instead of the uniform weights asked for."""

    def predict(self, X):
        X = np.asarray(X, float)
        idx = _knn_idx(self.X_, X, self.k)
        dist = np.linalg.norm(X[:, None, :] - self.X_[idx], axis=-1) + 1e-12
        w = 1.0 / dist
        return (w * self.y_.astype(float)[idx]).sum(1) / w.sum(1)


# ---------------------------------------------------------------- 13.3
def _lloyd(
    X,
    k,
    n_iter=100,
    init=None,
    seed=0,
    tol=0.0,
    assign=None,
    empty="keep",
    final_relabel=True,
    use_init=True,
):
    X = np.asarray(X, float)
    if init is None or not use_init:
        C = X[np.random.default_rng(seed).choice(len(X), k, replace=False)].copy()
    else:
        C = np.array(init, float)
    assign = assign or (lambda X, C: ((X[:, None] - C[None]) ** 2).sum(-1).argmin(1))
    labels = assign(X, C)
    for _ in range(n_iter):
        labels = assign(X, C)
        C_new = C.copy()
        for j in range(k):
            m = labels == j
            if m.any():
                C_new[j] = X[m].mean(0)
            elif empty == "nan":
                with np.errstate(all="ignore"):
                    C_new[j] = np.full(X.shape[1], np.nan)
            elif empty == "reseed":
                C_new[j] = X[np.random.randint(len(X))]
        shift = ((C_new - C) ** 2).sum()
        C = C_new
        if shift <= tol:
            break
    return C, (assign(X, C) if final_relabel else labels)


@wrong("13.3", "kmeans")
def kmeans_argmax(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """Assigns each point to its FARTHEST centroid (argmax instead of argmin)."""
    return _lloyd(
        X,
        k,
        n_iter,
        init,
        seed,
        tol,
        assign=lambda X, C: ((X[:, None] - C[None]) ** 2).sum(-1).argmax(1),
    )


@wrong("13.3", "kmeans")
def kmeans_argmin_axis0(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """argmin over axis 0 of the (N, k) distances: k 'labels', one per centroid (D8)."""
    return _lloyd(
        X,
        k,
        n_iter,
        init,
        seed,
        tol,
        assign=lambda X, C: ((X[:, None] - C[None]) ** 2).sum(-1).argmin(0),
    )


@wrong("13.3", "kmeans")
def kmeans_nan_empty_cluster(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """An empty cluster's centroid becomes the mean of nothing, i.e. NaN (D9)."""
    return _lloyd(X, k, n_iter, init, seed, tol, empty="nan")


@wrong("13.3", "kmeans")
def kmeans_random_reseed_empty(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """Reseeds an empty cluster at a random point of the global np.random state."""
    return _lloyd(X, k, n_iter, init, seed, tol, empty="reseed")


@wrong("13.3", "kmeans")
def kmeans_stale_labels(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """Returns the labels of the last assign step, not those of the returned centroids."""
    return _lloyd(X, k, n_iter, init, seed, tol, final_relabel=False)


@wrong("13.3", "kmeans")
def kmeans_ignores_init(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """Always picks random initial centroids, ignoring `init`."""
    return _lloyd(X, k, n_iter, init, seed, tol, use_init=False)


@wrong("13.3", "kmeans")
def kmeans_one_iteration(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """Ignores n_iter and convergence: does a single assign/update step."""
    return _lloyd(X, k, 1, init, seed, tol)


# ---------------------------------------------------------------- 13.4
def _folds(n, k, shuffle, seed, sizes, overlap=0, train="sorted", rng_global=False):
    if not 2 <= k <= n:
        raise ValueError("bad k")
    if shuffle:
        order = (
            np.random.permutation(n) if rng_global else np.random.default_rng(seed).permutation(n)
        )
    else:
        order = np.arange(n)
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    out = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        val = order[a : min(b + overlap, n)]
        if train == "all":
            tr = np.arange(n)
        elif train == "order":
            tr = order[~np.isin(order, val)]
        else:
            tr = np.setdiff1d(np.arange(n), val)
        out.append((tr, val))
    return iter(out)


def _sk_sizes(n, k):
    s = np.full(k, n // k)
    s[: n % k] += 1
    return s


@wrong("13.4", "k_fold_indices")
def kfold_validation_only(n, k, shuffle=True, seed=None):
    """Yields only the validation indices, no train indices (D20)."""
    for _, val in _folds(n, k, shuffle, seed, _sk_sizes(n, k)):
        yield val


@wrong("13.4", "k_fold_indices")
def kfold_remainder_in_last_fold(n, k, shuffle=True, seed=None):
    """Fold size n // k with the remainder in the last fold: [3, 3, 4] for n=10, k=3."""
    s = np.full(k, n // k)
    s[-1] += n % k
    return _folds(n, k, shuffle, seed, s)


@wrong("13.4", "k_fold_indices")
def kfold_ceil_sizes(n, k, shuffle=True, seed=None):
    """ceil(n / k) per fold, the last fold takes what is left: [4, 4, 2] for n=10, k=3."""
    if not 2 <= k <= n:
        raise ValueError("bad k")
    f = -(-n // k)
    s = [max(0, min(f, n - i * f)) for i in range(k)]
    return _folds(n, k, shuffle, seed, s)


@wrong("13.4", "k_fold_indices")
def kfold_overlapping(n, k, shuffle=True, seed=None):
    """An off-by-one slice [start:stop+1]: neighbouring validation folds overlap."""
    return _folds(n, k, shuffle, seed, _sk_sizes(n, k), overlap=1)


@wrong("13.4", "k_fold_indices")
def kfold_train_includes_val(n, k, shuffle=True, seed=None):
    """Trains on every index, including the validation fold."""
    return _folds(n, k, shuffle, seed, _sk_sizes(n, k), train="all")


@wrong("13.4", "k_fold_indices")
def kfold_global_rng(n, k, shuffle=True, seed=None):
    """Shuffles with the global np.random state: the seed is ignored."""
    return _folds(n, k, shuffle, seed, _sk_sizes(n, k), rng_global=True)


@wrong("13.4", "k_fold_indices")
def kfold_unsorted_train(n, k, shuffle=True, seed=None):
    """Train indices left in permutation order instead of sorted."""
    return _folds(n, k, shuffle, seed, _sk_sizes(n, k), train="order")


# ---------------------------------------------------------------- 13.5
@wrong("13.5", "GaussianNaiveBayes", factory=True)
def gnb_index_by_label_value(ns):
    """Stores class statistics at index = label value (self.theta_[c]) (D21)."""

    class GNB(ns["GaussianNaiveBayes"]):
        def fit(self, X, y):
            X, y = np.asarray(X, float), np.asarray(y)
            self.classes_ = np.unique(y)
            C, d = len(self.classes_), X.shape[1]
            self.theta_, self.var_, self.class_prior_ = (
                np.zeros((C, d)),
                np.zeros((C, d)),
                np.zeros(C),
            )
            for c in self.classes_:
                self.theta_[c] = X[y == c].mean(0)
                self.var_[c] = X[y == c].var(0)
                self.class_prior_[c] = np.mean(y == c)
            self.var_ += self.var_smoothing * X.var(0).max()
            return self

    return GNB


def _gnb_variant(ns, ddof=0, smoothing="max", prior="freq"):
    class GNB(ns["GaussianNaiveBayes"]):
        def fit(self, X, y):
            X, y = np.asarray(X, float), np.asarray(y)
            self.classes_ = np.unique(y)
            self.theta_ = np.array([X[y == c].mean(0) for c in self.classes_])
            self.var_ = np.array([X[y == c].var(0, ddof=ddof) for c in self.classes_])
            if prior == "freq":
                self.class_prior_ = np.array([np.mean(y == c) for c in self.classes_])
            else:
                self.class_prior_ = np.full(len(self.classes_), 1 / len(self.classes_))
            if smoothing == "max":
                self.var_ = self.var_ + self.var_smoothing * X.var(0).max()
            elif smoothing == "absolute":
                self.var_ = self.var_ + self.var_smoothing
            return self

    return GNB


@wrong("13.5", "GaussianNaiveBayes", factory=True)
def gnb_unbiased_variance(ns):
    """Uses the unbiased class variance (ddof=1) where GaussianNB uses ddof=0."""
    return _gnb_variant(ns, ddof=1)


@wrong("13.5", "GaussianNaiveBayes", factory=True)
def gnb_no_var_smoothing(ns):
    """No variance smoothing: a zero-variance feature divides by zero (D21)."""
    return _gnb_variant(ns, smoothing="none")


@wrong("13.5", "GaussianNaiveBayes", factory=True)
def gnb_absolute_smoothing(ns):
    """Adds var_smoothing itself, not var_smoothing * the largest feature variance."""
    return _gnb_variant(ns, smoothing="absolute")


@wrong("13.5", "GaussianNaiveBayes", factory=True)
def gnb_uniform_prior(ns):
    """Uses a uniform class prior instead of the class frequencies."""
    return _gnb_variant(ns, prior="uniform")


@wrong("13.5", "GaussianNaiveBayes", factory=True)
def gnb_log_of_pdf_product(ns):
    """Multiplies the pdfs and takes the log afterwards: underflows to log(0) = -inf."""

    class GNB(ns["GaussianNaiveBayes"]):
        def predict_log_proba(self, X):
            X = np.asarray(X, float)
            with np.errstate(all="ignore"):
                pdf = np.exp(-((X[:, None] - self.theta_[None]) ** 2) / (2 * self.var_[None]))
                pdf /= np.sqrt(2 * np.pi * self.var_[None])
                joint = self.class_prior_[None] * pdf.prod(2)
                return np.log(joint / joint.sum(1, keepdims=True))

        def predict_proba(self, X):
            return np.exp(self.predict_log_proba(X))

    return GNB


# ---------------------------------------------------------------- 13.6
def _pca_variant(ns, center=True, order="desc", ddof=1, std_ddof=0, columns=False):
    class P(ns["PCA"]):
        def fit(self, X):
            X = np.asarray(X, float)
            self.mean_ = X.mean(0) if center else np.zeros(X.shape[1])
            if self.standardize:
                self.scale_ = X.std(0, ddof=std_ddof)
            Xc = self._prepare(X)
            cov = Xc.T @ Xc / (len(X) - ddof)
            w, V = np.linalg.eigh(cov)
            idx = np.argsort(w)[::-1] if order == "desc" else np.argsort(w)[::1]
            idx = idx[: self.n_components]
            self.explained_variance_ = np.clip(w[idx], 0, None)
            self.components_ = V[:, idx] if columns else V[:, idx].T
            return self

        def transform(self, X):
            comps = self.components_.T if columns else self.components_
            return self._prepare(X) @ comps.T

    return P


@wrong("13.6", "PCA", factory=True)
def pca_no_centering(ns):
    """Skips centring: the covariance becomes the raw second-moment matrix."""
    return _pca_variant(ns, center=False)


@wrong("13.6", "PCA", factory=True)
def pca_ascending_order(ns):
    """Keeps eigh's ascending order ([::1] instead of [::-1]): smallest component first."""
    return _pca_variant(ns, order="asc")


@wrong("13.6", "PCA", factory=True)
def pca_biased_eigenvalues(ns):
    """Eigenvalues of the ddof=0 covariance; sklearn's explained_variance_ uses ddof=1."""
    return _pca_variant(ns, ddof=0)


@wrong("13.6", "PCA", factory=True)
def pca_components_as_columns(ns):
    """Stores components_ as (d, n_components) columns instead of rows."""
    return _pca_variant(ns, columns=True)


@wrong("13.6", "PCA", factory=True)
def pca_standardize_unbiased_std(ns):
    """Standardises with the ddof=1 std where StandardScaler uses ddof=0."""
    return _pca_variant(ns, std_ddof=1)


@wrong("13.6", "pca")
def pca_torch_no_flip(X, n_components, standardize=False):
    """torch.linalg.eigh without flip: ascending eigenvalues, smallest components."""
    Xc = X - X.mean(0)
    if standardize:
        Xc = Xc / X.std(0, correction=0)
    w, V = torch.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
    comps = V[:, :n_components].T
    return Xc @ comps.T, comps, w[:n_components]


@wrong("13.6", "pca")
def pca_torch_eig_complex(X, n_components, standardize=False):
    """torch.linalg.eig: complex eigenvalues, and sorting them fails (D22)."""
    Xc = X - X.mean(0)
    if standardize:
        Xc = Xc / X.std(0, correction=0)
    w, V = torch.linalg.eig(Xc.T @ Xc / (len(X) - 1))
    idx = torch.argsort(w, descending=True)[:n_components]
    comps = V[:, idx].T
    return Xc @ comps.T, comps, w[idx]


@wrong("13.6", "pca")
def pca_torch_std_plus_eps(X, n_components, standardize=False):
    """Always divides by std + 1e-4 (correlation PCA even when standardize=False) (D23)."""
    Xc = (X - X.mean(0)) / (X.std(0) + 1e-4)
    w, V = torch.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
    w, V = torch.flip(w, [0]), torch.flip(V, [1])
    comps = V[:, :n_components].T
    return Xc @ comps.T, comps, w[:n_components]


# ---------------------------------------------------------------- 13.7
@wrong("13.7", "hinge_loss")
def hinge_no_clamp(w, b, X, y):
    """Forgets max(0, .): correctly classified points far away earn negative loss."""
    return float(np.mean(1 - y * (X @ w + b)))


@wrong("13.7", "hinge_loss")
def hinge_sum(w, b, X, y):
    """Returns the sum instead of the mean over the points."""
    return float(np.maximum(0, 1 - y * (X @ w + b)).sum())


@wrong("13.7", "hinge_loss")
def hinge_margin_zero(w, b, X, y):
    """Uses a margin of 0 instead of 1 (the perceptron loss)."""
    return float(np.maximum(0, -y * (X @ w + b)).mean())


def _svm_variant(ns, rule="margin", reg=True, sign=-1.0, use_bias=True):
    class SVM(ns["LinearSVM"]):
        def fit(self, X, y):
            X, y = np.asarray(X, float), np.asarray(y, float)
            w, b = np.zeros(X.shape[1]), 0.0
            for _ in range(self.epochs):
                m = y * (X @ w + b)
                viol = (
                    m < 1
                    if rule == "margin"
                    else (m < 0 if rule == "perceptron" else np.ones(len(y), bool))
                )
                gw = (w if reg else 0) + sign * self.C * (y[viol, None] * X[viol]).sum(0)
                gb = sign * self.C * y[viol].sum()
                w = w - self.lr * gw
                if use_bias:
                    b = b - self.lr * gb
            self.w, self.b = w, float(b)
            return self

    return SVM


@wrong("13.7", "LinearSVM", factory=True)
def svm_perceptron_condition(ns):
    """Updates only on misclassified points (y f < 0) instead of margin violators (y f < 1)."""
    return _svm_variant(ns, rule="perceptron")


@wrong("13.7", "LinearSVM", factory=True)
def svm_all_points_subgradient(ns):
    """Sums y_i x_i over ALL points, not only the margin violators."""
    return _svm_variant(ns, rule="all")


@wrong("13.7", "LinearSVM", factory=True)
def svm_no_regularisation(ns):
    """Drops the w term of the gradient (no 1/2 ||w||^2): w grows without bound."""
    return _svm_variant(ns, reg=False)


@wrong("13.7", "LinearSVM", factory=True)
def svm_gradient_sign_flipped(ns):
    """Adds C * y_i x_i instead of subtracting it: climbs the hinge."""
    return _svm_variant(ns, sign=+1.0)


# ---------------------------------------------------------------- added for issue 16
@wrong("13.1", "knn_find_neighbors")
def knn_default_argsort(data, query, k):
    """np.argsort with the default (unstable) kind: many tied distances come out in any order."""
    _, d2 = _sq_dists(data, query)
    return _pack(data, query, np.argsort(d2, axis=1)[:, :k])


@wrong("13.1", "knn_find_neighbors")
def knn_centres_data_in_place(data, query, k):
    """Subtracts the query from data in place to get the differences: the caller's data changes."""
    if np.asarray(query).ndim == 1:
        diff = data
        diff -= query
        d2 = (diff**2).sum(-1)
        diff += query
        idx = np.argsort(d2, kind="stable")[:k]
        # restored up to rounding, and read back before it was restored exactly
        return data[idx], idx
    _, d2 = _sq_dists(data, query)
    idx = np.argsort(d2, axis=1, kind="stable")[:, :k]
    data -= 0.0 * data + 1e-3 * np.sign(data)  # "normalises" the rows on the way
    return data[idx], idx


@wrong("13.1", "knn_find_neighbors")
def knn_float_indices(data, query, k):
    """Fills a preallocated np.empty((Q, k)) with the indices: they come back as floats."""
    Q, d2 = _sq_dists(data, query)
    idx = np.empty((len(Q), k))
    for i in range(len(Q)):
        idx[i] = np.argsort(d2[i], kind="stable")[:k]
    nb = np.asarray(data, float)[idx.astype(int)]
    if np.asarray(query).ndim == 1:
        return nb[0], idx[0]
    return nb, idx


@wrong("13.2", "KNNRegressor")
class KNNRegressorUnstableSort(_BaseKNN):
    """Default (unstable) np.argsort: among many tied training points, any k may be chosen."""

    def predict(self, X):
        d2 = ((np.asarray(X, float)[:, None, :] - self.X_[None]) ** 2).sum(-1)
        idx = np.argsort(d2, axis=1)[:, : self.k]
        return self.y_.astype(float)[idx].mean(1)


@wrong("13.2", "KNNClassifier")
class KNNClassifierFitAppends(_BaseKNN):
    """fit appends to the stored data ("online" KNN): a second fit keeps the first data set."""

    def fit(self, X, y):
        X, y = np.asarray(X, float), np.asarray(y)
        if hasattr(self, "X_"):
            X, y = np.vstack([self.X_, X]), np.concatenate([self.y_, y])
        self.X_, self.y_ = X, y
        return self

    def predict(self, X):
        classes, codes = np.unique(self.y_, return_inverse=True)
        idx = _knn_idx(self.X_, X, self.k)
        votes = np.zeros((len(idx), len(classes)), int)
        np.add.at(votes, (np.arange(len(idx))[:, None], codes[idx]), 1)
        return classes[votes.argmax(1)]


@wrong("13.2", "KNNClassifier")
class KNNClassifierUnstableSort(_BaseKNN):
    """Default (unstable) np.argsort for the neighbours: ties among many points pick any k."""

    def predict(self, X):
        classes, codes = np.unique(self.y_, return_inverse=True)
        d2 = ((np.asarray(X, float)[:, None, :] - self.X_[None]) ** 2).sum(-1)
        idx = np.argsort(d2, axis=1)[:, : self.k]
        votes = np.zeros((len(idx), len(classes)), int)
        np.add.at(votes, (np.arange(len(idx))[:, None], codes[idx]), 1)
        return classes[votes.argmax(1)]


@wrong("13.3", "kmeans")
def kmeans_updates_init_in_place(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """Uses `init` itself as the centroid buffer (C = init): the caller's array is overwritten."""
    X = np.asarray(X, float)
    C = X[np.random.default_rng(seed).choice(len(X), k, replace=False)] if init is None else init
    for _ in range(n_iter):
        labels = ((X[:, None] - C[None]) ** 2).sum(-1).argmin(1)
        old = C.copy()
        for j in range(k):
            if (labels == j).any():
                C[j] = X[labels == j].mean(0)
        if ((C - old) ** 2).sum() <= tol:
            break
    return C, ((X[:, None] - C[None]) ** 2).sum(-1).argmin(1)


@wrong("13.3", "kmeans")
def kmeans_float_labels(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """Collects the labels in np.zeros(N) (float64) in a Python loop: labels are floats."""
    C, labels = _lloyd(X, k, n_iter, init, seed, tol)
    out = np.zeros(len(labels))
    for i, l in enumerate(labels):
        out[i] = l
    return C, out


@wrong("13.3", "kmeans")
def kmeans_reseed_empty_far(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """Moves an empty centroid to the point farthest from its centroid (scikit-learn's rule)."""
    X = np.asarray(X, float)
    C = (
        X[np.random.default_rng(seed).choice(len(X), k, replace=False)]
        if init is None
        else np.array(init, float)
    )
    for _ in range(n_iter):
        D = ((X[:, None] - C[None]) ** 2).sum(-1)
        labels = D.argmin(1)
        C_new = C.copy()
        for j in range(k):
            if (labels == j).any():
                C_new[j] = X[labels == j].mean(0)
            else:
                C_new[j] = X[D[np.arange(len(X)), labels].argmax()]
        shift = ((C_new - C) ** 2).sum()
        C = C_new
        if shift <= tol:
            break
    return C, ((X[:, None] - C[None]) ** 2).sum(-1).argmin(1)


@wrong("13.4", "k_fold_indices")
def kfold_float_train(n, k, shuffle=True, seed=None):
    """Builds train_idx by concatenating the other folds onto np.array([]): float64 indices."""
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    if not 2 <= k <= n:
        raise ValueError("bad k")
    blocks = np.array_split(order, k)
    for i, val in enumerate(blocks):
        train = np.array([])
        for j, other in enumerate(blocks):
            if j != i:
                train = np.concatenate([train, other])
        yield np.sort(train), val


@wrong("13.4", "k_fold_indices")
def kfold_lazy_value_error(n, k, shuffle=True, seed=None):
    """A generator function that checks k inside its body: the ValueError waits for next()."""
    if not 2 <= k <= n:
        raise ValueError(f"need 2 <= k <= n, got k={k}")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    for val in np.array_split(order, k):
        yield np.setdiff1d(np.arange(n), val), val


@wrong("13.5", "GaussianNaiveBayes", factory=True)
def gnb_one_pass_variance(ns):
    """Variance as E[x^2] - E[x]^2 (one pass): cancels catastrophically for large means."""

    class GNB(ns["GaussianNaiveBayes"]):
        def fit(self, X, y):
            super().fit(X, y)
            X, y = np.asarray(X, float), np.asarray(y)
            var = np.array(
                [(X[y == c] ** 2).mean(0) - X[y == c].mean(0) ** 2 for c in self.classes_]
            )
            total = ((X**2).mean(0) - X.mean(0) ** 2).max()
            self.var_ = var + self.var_smoothing * total
            return self

    return GNB


@wrong("13.5", "GaussianNaiveBayes", factory=True)
def gnb_standardises_queries_in_place(ns):
    """Standardises the queries in place (X -= theta; X /= sigma) to save memory."""
    base = ns["GaussianNaiveBayes"]

    class GNB(base):
        def predict_log_proba(self, X):
            result = base.predict_log_proba(self, X)
            X -= self.theta_[0]  # the caller's queries are shifted ...
            X /= np.sqrt(self.var_[0])  # ... and rescaled
            return result

    return GNB


@wrong("13.6", "PCA", factory=True)
def pca_centres_in_place(ns):
    """Centres the caller's array in place (X -= mean) to avoid a copy."""
    base = ns["PCA"]

    class P(base):
        def fit(self, X):
            result = base.fit(self, np.array(X, float))
            X -= self.mean_
            return result

    return P


@wrong("13.6", "PCA", factory=True)
def pca_constant_feature_nan(ns):
    """Divides by the std without guarding a constant feature: 0/0 gives NaN components."""

    class P(ns["PCA"]):
        def fit(self, X):
            X = np.asarray(X, float)
            self.mean_ = X.mean(0)
            if self.standardize:
                self.scale_ = X.std(0)
            with np.errstate(all="ignore"):
                Xc = self._prepare(X)
                cov = Xc.T @ Xc / (len(X) - 1)
            if not np.isfinite(cov).all():
                self.explained_variance_ = np.full(self.n_components, np.nan)
                self.components_ = np.full((self.n_components, X.shape[1]), np.nan)
                return self
            w, V = np.linalg.eigh(cov)
            idx = np.argsort(w)[::-1][: self.n_components]
            self.explained_variance_ = np.clip(w[idx], 0, None)
            self.components_ = V[:, idx].T
            return self

    return P


@wrong("13.6", "pca")
def pca_torch_centres_in_place(X, n_components, standardize=False):
    """Centres with X -= X.mean(0): the caller's tensor is modified."""
    X -= X.mean(dim=0)
    if standardize:
        std = X.std(dim=0, correction=0)
        X /= torch.where(std > 0, std, torch.ones_like(std))
    w, V = torch.linalg.eigh(X.T @ X / (X.shape[0] - 1))
    w, V = torch.flip(w, [0])[:n_components], torch.flip(V, [1])[:, :n_components]
    return X @ V, V.T, w.clamp_min(0)


@wrong("13.6", "pca")
def pca_torch_float32_eigh(X, n_components, standardize=False):
    """Runs eigh in float32 "for speed": the results come back float32 and imprecise."""
    Xc = X - X.mean(dim=0)
    if standardize:
        std = X.std(dim=0, correction=0)
        Xc = Xc / torch.where(std > 0, std, torch.ones_like(std))
    w, V = torch.linalg.eigh((Xc.T @ Xc / (X.shape[0] - 1)).float())
    w, V = torch.flip(w, [0])[:n_components], torch.flip(V, [1])[:, :n_components]
    return Xc.float() @ V, V.T, w.clamp_min(0)


@wrong("13.7", "hinge_loss")
def hinge_assumes_01_labels(w, b, X, y):
    """Maps labels with 2y - 1 as if they were {0, 1}: -1 becomes -3."""
    y = 2 * np.asarray(y) - 1
    return float(np.maximum(0, 1 - y * (X @ w + b)).mean())


@wrong("13.7", "LinearSVM", factory=True)
def svm_last_iterate(ns):
    """Returns the last subgradient iterate instead of the best one seen."""
    return _svm_variant(ns)


@wrong("13.7", "LinearSVM", factory=True)
def svm_predict_np_sign(ns):
    """predict = np.sign(decision_function): a decision value of exactly 0 gives label 0."""

    class SVM(ns["LinearSVM"]):
        def predict(self, X):
            return np.sign(self.decision_function(X))

    return SVM


@wrong("13.7", "LinearSVM", factory=True)
def svm_warm_start(ns):
    """A second fit continues from the previous w, b instead of starting from zero."""
    base = ns["LinearSVM"]

    class SVM(base):
        def fit(self, X, y):
            X, y = np.asarray(X, float), np.asarray(y, float)
            w = getattr(self, "w", np.zeros(X.shape[1])).copy()
            b = getattr(self, "b", 0.0)
            best = (self._objective(w, b, X, y), w.copy(), b)
            for _ in range(self.epochs):
                viol = y * (X @ w + b) < 1
                w = w - self.lr * (w - self.C * (y[viol, None] * X[viol]).sum(0))
                b = b + self.lr * self.C * y[viol].sum()
                J = self._objective(w, b, X, y)
                if J < best[0]:
                    best = (J, w.copy(), float(b))
            _, self.w, self.b = best
            return self

    return SVM


# ---------------------------------------------------------------- added for issue 17
# 13.1-13.4 and 13.7: the PyTorch twins.
def _torch_sq_dists(data, query):
    Q = query[None] if query.dim() == 1 else query
    return ((Q[:, None, :] - data[None]) ** 2).sum(-1)


def _torch_pack(data, query, idx):
    return (data[idx[0]], idx[0]) if query.dim() == 1 else (data[idx], idx)


@wrong("13.1", "knn_find_neighbors_torch")
def knn_torch_topk_default_largest(data, query, k):
    """torch.topk(d, k) with its default largest=True: the k FARTHEST rows."""
    return _torch_pack(data, query, torch.topk(_torch_sq_dists(data, query), k, dim=1).indices)


@wrong("13.1", "knn_find_neighbors_torch")
def knn_torch_unstable_sort(data, query, k):
    """torch.sort without stable=True: tied distances come back in any order."""
    return _torch_pack(data, query, torch.sort(_torch_sq_dists(data, query), dim=1).indices[:, :k])


@wrong("13.1", "knn_find_neighbors_torch")
def knn_torch_norm_without_dim(data, query, k):
    """torch.norm(data - query) without dim: one number for the whole matrix (D10)."""
    dist = torch.norm(data - query)
    idx = torch.argsort(dist)[:k]
    return data[idx], idx


@wrong("13.1", "knn_find_neighbors_torch")
def knn_torch_float32(data, query, k):
    """Casts to float32 "for speed": float64 neighbours come back as float32."""
    data, query = data.float(), query.float()
    idx = torch.sort(_torch_sq_dists(data, query), dim=1, stable=True).indices[:, :k]
    return _torch_pack(data, query, idx)


class _KNNTorchBase:
    def __init__(self, k):
        self.k = k

    def fit(self, X, y):
        self.X_, self.y_ = X, y
        return self

    def _idx(self, X, stable=True):
        d2 = ((X[:, None, :] - self.X_[None]) ** 2).sum(-1)
        return torch.sort(d2, dim=1, stable=stable).indices[:, : self.k]


@wrong("13.2", "KNNClassifierTorch")
class KNNTorchNearestOnTie(_KNNTorchBase):
    """Counter(...).most_common(1) on the neighbours: a vote tie goes to the nearest one."""

    def predict(self, X):
        return torch.tensor(
            [
                collections.Counter(row.tolist()).most_common(1)[0][0]
                for row in self.y_[self._idx(X)]
            ]
        )


@wrong("13.2", "KNNClassifierTorch")
class KNNTorchBincountLabels(_KNNTorchBase):
    """torch.bincount on the label values: fails for negative labels."""

    def predict(self, X):
        return torch.stack([torch.bincount(row).argmax() for row in self.y_[self._idx(X)]])


@wrong("13.2", "KNNClassifierTorch")
class KNNTorchReturnsCodes(_KNNTorchBase):
    """Returns the class index (0..C-1) from argmax instead of the label itself."""

    def predict(self, X):
        classes, codes = torch.unique(self.y_, return_inverse=True)
        votes = torch.nn.functional.one_hot(codes[self._idx(X)], len(classes)).sum(1)
        return votes.argmax(1)


@wrong("13.2", "KNNClassifierTorch")
class KNNTorchUnstableSort(_KNNTorchBase):
    """torch.sort without stable=True: among many tied points, any k may be the neighbours."""

    def predict(self, X):
        classes, codes = torch.unique(self.y_, return_inverse=True)
        votes = torch.nn.functional.one_hot(codes[self._idx(X, stable=False)], len(classes)).sum(1)
        return classes[votes.argmax(1)]


def _kmeans_torch(
    X, k, n_iter=100, init=None, seed=0, tol=0.0, assign=None, empty="keep", start=None, dtype=None
):
    if init is None:
        C = (
            start(X, k, seed)
            if start
            else X[
                torch.randperm(len(X), generator=torch.Generator().manual_seed(seed))[:k]
            ].clone()
        )
    else:
        C = init.clone()
    if dtype is not None:
        X, C = X.to(dtype), C.to(dtype)
    assign = assign or (lambda X, C: ((X[:, None] - C[None]) ** 2).sum(-1).argmin(dim=1))
    for _ in range(n_iter):
        labels = assign(X, C)
        C_new = C.clone()
        for j in range(k):
            members = X[labels == j]
            if len(members) or empty == "nan":
                C_new[j] = members.mean(0)
        shift = ((C_new - C) ** 2).sum()
        C = C_new
        if shift <= tol:
            break
    return C, assign(X, C)


@wrong("13.3", "kmeans_torch")
def kmeans_torch_argmin_dim0(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """argmin(dim=0) on the (N, k) distances: k 'labels', one per centroid (D8)."""
    return _kmeans_torch(
        X,
        k,
        n_iter,
        init,
        seed,
        tol,
        assign=lambda X, C: ((X[:, None] - C[None]) ** 2).sum(-1).argmin(dim=0),
    )


@wrong("13.3", "kmeans_torch")
def kmeans_torch_norm_without_dim(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """torch.norm(X - c) without dim is one scalar per centroid, so stack(dim=1) fails (D10)."""
    return _kmeans_torch(
        X,
        k,
        n_iter,
        init,
        seed,
        tol,
        assign=lambda X, C: torch.stack([torch.norm(X - c) for c in C], dim=1).argmin(dim=1),
    )


@wrong("13.3", "kmeans_torch")
def kmeans_torch_nan_empty_cluster(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """X[labels == j].mean(0) for an empty cluster: the centroid becomes NaN (D9)."""
    return _kmeans_torch(X, k, n_iter, init, seed, tol, empty="nan")


@wrong("13.3", "kmeans_torch")
def kmeans_torch_global_rng(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """torch.manual_seed(seed) and torch.randperm: reseeds torch's global RNG."""

    def start(X, k, seed):
        torch.manual_seed(seed)
        return X[torch.randperm(len(X))[:k]].clone()

    return _kmeans_torch(X, k, n_iter, init, seed, tol, start=start)


@wrong("13.3", "kmeans_torch")
def kmeans_torch_randint_init(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """torch.randint for the initial rows (the source notes' choice): duplicates possible."""

    def start(X, k, seed):
        g = torch.Generator().manual_seed(seed)
        return X[torch.randint(len(X), (k,), generator=g)].clone()

    return _kmeans_torch(X, k, n_iter, init, seed, tol, start=start)


@wrong("13.3", "kmeans_torch")
def kmeans_torch_float32(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """Runs in float32 (torch's default dtype): centroids come back float32 and imprecise."""
    return _kmeans_torch(X, k, n_iter, init, seed, tol, dtype=torch.float32)


@wrong("13.3", "kmeans_torch")
def kmeans_torch_updates_init_in_place(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    """C = init (no clone), then C[j] = mean: the caller's init tensor is overwritten."""
    C, labels = _kmeans_torch(X, k, n_iter, init, seed, tol)
    if init is not None:
        init.copy_(C)
    return C, labels


def _kfold_torch(n, k, shuffle, seed, split="tensor_split", rng="private", train="sorted"):
    if not 2 <= k <= n:
        raise ValueError("bad k")
    if not shuffle:
        order = torch.arange(n)
    elif rng == "global":
        if seed is not None:
            torch.manual_seed(seed)
        order = torch.randperm(n)
    else:
        order = torch.randperm(n, generator=torch.Generator().manual_seed(seed or 0))
    blocks = torch.chunk(order, k) if split == "chunk" else torch.tensor_split(order, k)
    out = []
    for val in blocks:
        keep = ~torch.isin(torch.arange(n), val)
        tr = torch.arange(n)[keep]
        if train == "float":
            tr = torch.cat([torch.tensor([]), tr.float()])
        out.append((tr, val))
    return iter(out)


@wrong("13.4", "k_fold_indices_torch")
def kfold_torch_chunk(n, k, shuffle=True, seed=None):
    """torch.chunk: ceil(n / k) per fold, [4, 4, 2] for n=10, k=3 (and fewer folds sometimes)."""
    return _kfold_torch(n, k, shuffle, seed, split="chunk")


@wrong("13.4", "k_fold_indices_torch")
def kfold_torch_global_rng(n, k, shuffle=True, seed=None):
    """torch.manual_seed(seed) + torch.randperm(n): reseeds torch's global RNG."""
    return _kfold_torch(n, k, shuffle, seed, rng="global")


@wrong("13.4", "k_fold_indices_torch")
def kfold_torch_float_train(n, k, shuffle=True, seed=None):
    """Builds train_idx with torch.cat onto torch.tensor([]): float32 indices."""
    return _kfold_torch(n, k, shuffle, seed, train="float")


@wrong("13.4", "k_fold_indices_torch")
def kfold_torch_lazy_value_error(n, k, shuffle=True, seed=None):
    """A generator function that checks k in its body: the ValueError waits for next()."""
    yield from _kfold_torch(n, k, shuffle, seed)


@wrong("13.7", "LinearSVMTorch", factory=True)
def svm_torch_last_iterate(ns):
    """Keeps the last subgradient iterate instead of the best one seen."""

    class SVM(ns["LinearSVMTorch"]):
        def fit(self, X, y):
            y = y.to(X.dtype)
            w = torch.zeros(X.shape[1], dtype=X.dtype, requires_grad=True)
            b = torch.zeros((), dtype=X.dtype, requires_grad=True)
            for _ in range(self.epochs):
                gw, gb = torch.autograd.grad(self._objective(w, b, X, y), (w, b))
                with torch.no_grad():
                    w -= self.lr * gw
                    b -= self.lr * gb
            self.w, self.b = w.detach(), b.detach()
            return self

    return SVM


@wrong("13.7", "LinearSVMTorch", factory=True)
def svm_torch_sign_predict(ns):
    """predict = torch.sign(decision_function): a decision value of exactly 0 gives 0."""

    class SVM(ns["LinearSVMTorch"]):
        def predict(self, X):
            return torch.sign(self.decision_function(X))

    return SVM


@wrong("13.7", "LinearSVMTorch", factory=True)
def svm_torch_mean_hinge(ns):
    """Uses the MEAN hinge in J (what hinge_loss returns): C is effectively divided by N."""

    class SVM(ns["LinearSVMTorch"]):
        def _objective(self, w, b, X, y):
            return 0.5 * (w @ w) + self.C * torch.clamp(1 - y * (X @ w + b), min=0).mean()

    return SVM


@wrong("13.7", "LinearSVMTorch", factory=True)
def svm_torch_float32_weights(ns):
    """torch.zeros(d) in the default float32, with X cast to match: w comes back float32."""
    base = ns["LinearSVMTorch"]

    class SVM(base):
        def fit(self, X, y):
            return base.fit(self, X.float(), y.float())

    return SVM


# ---------------------------------------------------------------- 13.8
@wrong("13.8", "gini")
def gini_without_square(y):
    """1 - sum(p) instead of 1 - sum(p^2): always 0."""
    p = np.unique(np.asarray(y), return_counts=True)[1] / max(len(y), 1)
    return float(1 - p.sum())


@wrong("13.8", "gini")
def gini_counts_not_proportions(y):
    """Squares the class counts instead of the proportions."""
    counts = np.unique(np.asarray(y), return_counts=True)[1]
    return float(1 - (counts**2).sum()) if len(y) else 0.0


@wrong("13.8", "entropy")
def entropy_in_nats(y):
    """Natural log instead of log2: entropy in nats, not bits."""
    p = np.unique(np.asarray(y), return_counts=True)[1] / max(len(y), 1)
    return float(-(p * np.log(p)).sum())


@wrong("13.8", "entropy")
def entropy_bincount_nan(y):
    """np.bincount over 0..max(y): classes that never occur give 0 * log(0) = nan."""
    y = np.asarray(y)
    if y.dtype.kind not in "iu":
        y = np.unique(y, return_inverse=True)[1]
    p = np.bincount(y) / max(len(y), 1)
    with np.errstate(all="ignore"):
        return float(-(p * np.log2(p)).sum())


def _tree_variant(ns, **changes):
    """A DecisionTreeClassifier built from the reference, with one rule changed."""
    Tree = ns["_Tree"]
    best_split = ns["_best_split"]
    impurity = ns["_weighted_impurity"]

    def split_fn(X, Z, features, criterion):
        if changes.get("threshold") == "left_value" or changes.get("unweighted"):
            n, best = len(X), None
            for j in features:
                order = np.argsort(X[:, j], kind="stable")
                xs, S = X[order, j], np.cumsum(Z[order], axis=0)
                cut = np.flatnonzero(xs[1:] > xs[:-1])
                if cut.size == 0:
                    continue
                nl = cut + 1.0
                left, right = (
                    impurity(S[cut], nl, criterion),
                    impurity(S[-1] - S[cut], n - nl, criterion),
                )
                cost = left / nl + right / (n - nl) if changes.get("unweighted") else left + right
                i = int(np.argmin(cost))
                t = (
                    xs[cut[i]]
                    if changes.get("threshold") == "left_value"
                    else (xs[cut[i]] + xs[cut[i] + 1]) / 2
                )
                if best is None or cost[i] < best[0]:
                    best = (cost[i], j, t)
            return best
        return best_split(X, Z, features, criterion)

    class VariantTree(Tree):
        def _grow(self, X, Z, depth):
            node, n = len(self.feature), len(X)
            for name in ("feature", "threshold", "left", "right"):
                getattr(self, name).append(-1 if name != "threshold" else np.nan)
            value = Z.mean(axis=0)
            if changes.get("majority_proba"):
                value = np.eye(Z.shape[1])[value.argmax()]
            self.value.append(value)
            max_depth = self.max_depth
            if changes.get("ignore_max_depth"):
                max_depth = None
            elif changes.get("depth_from_one") and max_depth is not None:
                max_depth = max_depth - 1
            small = (
                n <= self.min_samples_split
                if changes.get("split_le")
                else n < self.min_samples_split
            )
            if np.all(Z == Z[0]) or small or (max_depth is not None and depth >= max_depth):
                return node
            split = split_fn(X, Z, range(X.shape[1]), self.criterion)
            if split is None:
                return node
            _, j, t = split
            go_left = X[:, j] < t if changes.get("strict_less") else X[:, j] <= t
            self.feature[node], self.threshold[node] = j, t
            self.left[node] = self._grow(X[go_left], Z[go_left], depth + 1)
            self.right[node] = self._grow(X[~go_left], Z[~go_left], depth + 1)
            return node

        def apply(self, X):
            if not changes.get("strict_less"):
                return Tree.apply(self, X)
            node = np.zeros(len(X), dtype=int)
            for i in range(len(X)):
                while self.feature[node[i]] >= 0:
                    f = self.feature[node[i]]
                    node[i] = (
                        self.left[node[i]]
                        if X[i, f] < self.threshold[node[i]]
                        else self.right[node[i]]
                    )
            return node

    class DTC(ns["DecisionTreeClassifier"]):
        def fit(self, X, y):
            X = np.asarray(X, dtype=float)
            self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
            Z = np.eye(len(self.classes_))[codes]
            criterion = "gini" if changes.get("ignore_criterion") else self.criterion
            self.tree_ = VariantTree(X, Z, criterion, self.max_depth, self.min_samples_split)
            return self

    return DTC


@wrong("13.8", "DecisionTreeClassifier", factory=True)
def tree_threshold_at_left_value(ns):
    """Thresholds at the left training value (x <= x_i) instead of the midpoint."""
    return _tree_variant(ns, threshold="left_value")


@wrong("13.8", "DecisionTreeClassifier", factory=True)
def tree_strict_less_goes_left(ns):
    """Sends x < t left instead of x <= t: a point exactly on the threshold goes right."""
    return _tree_variant(ns, strict_less=True)


@wrong("13.8", "DecisionTreeClassifier", factory=True)
def tree_unweighted_children(ns):
    """Averages the children's impurities without weighting them by their sizes."""
    return _tree_variant(ns, unweighted=True)


@wrong("13.8", "DecisionTreeClassifier", factory=True)
def tree_ignores_max_depth(ns):
    """Never reads max_depth: always grows the tree until the leaves are pure."""
    return _tree_variant(ns, ignore_max_depth=True)


@wrong("13.8", "DecisionTreeClassifier", factory=True)
def tree_depth_counted_from_one(ns):
    """Counts the root as depth 1: one level too shallow."""
    return _tree_variant(ns, depth_from_one=True)


@wrong("13.8", "DecisionTreeClassifier", factory=True)
def tree_min_samples_split_off_by_one(ns):
    """Makes a leaf when n <= min_samples_split instead of n < min_samples_split."""
    return _tree_variant(ns, split_le=True)


@wrong("13.8", "DecisionTreeClassifier", factory=True)
def tree_majority_one_hot_proba(ns):
    """predict_proba returns the leaf's majority class one-hot, not its class frequencies."""
    return _tree_variant(ns, majority_proba=True)


@wrong("13.8", "DecisionTreeClassifier", factory=True)
def tree_ignores_criterion(ns):
    """Always uses gini, whatever criterion says."""
    return _tree_variant(ns, ignore_criterion=True)


@wrong("13.8", "DecisionTreeClassifier", factory=True)
def tree_sorts_column_in_place(ns):
    """Sorts each column with X[:, j].sort() to find thresholds: the caller's X is scrambled."""
    base = ns["DecisionTreeClassifier"]

    class DTC(base):
        def fit(self, X, y):
            result = base.fit(self, np.array(X, dtype=float), y)
            if isinstance(X, np.ndarray) and X.ndim == 2:
                for j in range(X.shape[1]):
                    X[:, j].sort()
            return result

    return DTC


# ---------------------------------------------------------------- 13.9
def _gb_variant(ns, init="mean", target="residual", fit_rate=True, record="after"):
    RegTree = ns["_RegressionTree"]

    class GB(ns["GradientBoostingRegressor"]):
        def fit(self, X, y):
            X, y = np.asarray(X, float), np.asarray(y, float)
            self.init_ = {"mean": y.mean(), "zero": 0.0, "median": np.median(y)}[init]
            F = np.full(len(y), self.init_)
            self.estimators_, self.train_loss_ = [], np.zeros(self.n_estimators)
            for m in range(self.n_estimators):
                loss_before = np.mean((y - F) ** 2)
                r = {"residual": y - F, "y": y, "flipped": F - y}[target]
                tree = RegTree(self.max_depth).fit(X, r)
                F = F + (self.learning_rate if fit_rate else 1.0) * tree.predict(X)
                self.estimators_.append(tree)
                self.train_loss_[m] = np.mean((y - F) ** 2) if record == "after" else loss_before
            return self

    return GB


@wrong("13.9", "GradientBoostingRegressor", factory=True)
def gb_starts_from_zero(ns):
    """Initial prediction 0 instead of the mean of y."""
    return _gb_variant(ns, init="zero")


@wrong("13.9", "GradientBoostingRegressor", factory=True)
def gb_starts_from_median(ns):
    """Initial prediction the median of y (the absolute-error choice), not the mean."""
    return _gb_variant(ns, init="median")


@wrong("13.9", "GradientBoostingRegressor", factory=True)
def gb_fits_y_every_stage(ns):
    """Fits every tree to y instead of the current residuals y - F."""
    return _gb_variant(ns, target="y")


@wrong("13.9", "GradientBoostingRegressor", factory=True)
def gb_residual_sign_flipped(ns):
    """Residuals F - y (the gradient, not the negative gradient): climbs the loss."""
    return _gb_variant(ns, target="flipped")


@wrong("13.9", "GradientBoostingRegressor", factory=True)
def gb_no_shrinkage_in_fit(ns):
    """Adds the full tree in fit (no learning rate) but shrinks it in predict."""
    return _gb_variant(ns, fit_rate=False)


@wrong("13.9", "GradientBoostingRegressor", factory=True)
def gb_loss_recorded_before_update(ns):
    """Records train_loss_[m] before adding tree m: off by one stage."""
    return _gb_variant(ns, record="before")


def _forest_variant(ns, rows="bootstrap", features="per_node", vote="soft"):
    Tree = ns["_Tree"]

    class RF(ns["RandomForestClassifier"]):
        def fit(self, X, y):
            X = np.asarray(X, dtype=float)
            N, d = X.shape
            m = self._n_features(d)
            rng = np.random.default_rng(self.seed)
            self.classes_, codes = np.unique(np.asarray(y), return_inverse=True)
            Z = np.eye(len(self.classes_))[codes]
            if features == "all":
                choose = None
            else:
                choose = lambda X_node: np.sort(rng.permutation(d)[:m])  # noqa: E731
            self.estimators_ = []
            fixed = rng.integers(0, N, size=N)
            for _ in range(self.n_estimators):
                if not self.bootstrap or rows == "none":
                    idx = np.arange(N)
                elif rows == "same":
                    idx = fixed
                elif rows == "permutation":
                    idx = rng.permutation(N)
                else:
                    idx = rng.integers(0, N, size=N)
                self.estimators_.append(Tree(X[idx], Z[idx], "gini", self.max_depth, 2, choose))
            return self

        def predict_proba(self, X):
            if vote == "soft":
                return super().predict_proba(X)
            votes = np.stack([t.predict_proba(X).argmax(1) for t in self.estimators_])
            return np.stack([(votes == c).mean(0) for c in range(len(self.classes_))], axis=1)

    return RF


@wrong("13.9", "RandomForestClassifier", factory=True)
def forest_no_bootstrap(ns):
    """Ignores bootstrap: every tree sees all the rows."""
    return _forest_variant(ns, rows="none")


@wrong("13.9", "RandomForestClassifier", factory=True)
def forest_one_bootstrap_for_all_trees(ns):
    """Draws one bootstrap sample and reuses it for every tree."""
    return _forest_variant(ns, rows="same")


@wrong("13.9", "RandomForestClassifier", factory=True)
def forest_sample_without_replacement(ns):
    """Samples N rows WITHOUT replacement: a permutation, i.e. the full data set."""
    return _forest_variant(ns, rows="permutation")


@wrong("13.9", "RandomForestClassifier", factory=True)
def forest_ignores_max_features(ns):
    """Considers every feature at every node (max_features ignored): bagged trees only."""
    return _forest_variant(ns, features="all")


@wrong("13.9", "RandomForestClassifier", factory=True)
def forest_hard_voting(ns):
    """Majority vote of the trees' predictions instead of averaging their probabilities."""
    return _forest_variant(ns, vote="hard")


@wrong("13.9", "RandomForestClassifier", factory=True)
def forest_global_rng(ns):
    """Draws the bootstrap rows from np.random (the global RNG): seed ignored."""
    base = ns["RandomForestClassifier"]

    class RF(base):
        def fit(self, X, y):
            saved = self.seed
            self.seed = np.random.randint(2**31)
            try:
                return base.fit(self, X, y)
            finally:
                self.seed = saved

    return RF


@wrong("13.9", "RandomForestClassifier", factory=True)
def forest_unknown_max_features_means_all(ns):
    """Treats any unknown max_features string as None (all features) instead of raising."""
    base = ns["RandomForestClassifier"]

    class RF(base):
        def _n_features(self, d):
            if isinstance(self.max_features, str) and self.max_features != "sqrt":
                return d
            return base._n_features(self, d)

    return RF


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
