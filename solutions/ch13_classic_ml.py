# Generated from chapters/ch13_classic_ml.ipynb by `make generate`: do not edit.

import warnings

import numpy as np
import torch
import matplotlib.pyplot as plt
from scipy.special import logsumexp
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA as SkPCA
from sklearn.metrics import hinge_loss as sk_hinge_loss
from sklearn.model_selection import KFold
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor, NearestNeighbors
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


def knn_find_neighbors(data, query, k):
    data = np.asarray(data, dtype=float)
    query = np.asarray(query, dtype=float)
    single = query.ndim == 1
    Q = query[None, :] if single else query             # (Q, d)
    # (Q, 1, d) - (1, N, d) -> (Q, N, d) -> squared distances (Q, N).
    # Squared distances sort like distances; no sqrt needed.
    dist2 = ((Q[:, None, :] - data[None, :, :]) ** 2).sum(axis=-1)
    # A stable sort keeps equal distances in row order: ties -> smaller index.
    indices = np.argsort(dist2, axis=1, kind="stable")[:, :k]   # (Q, k)
    neighbors = data[indices]                                     # (Q, k, d)
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
        idx = _knn_indices(self.X_, np.asarray(X, dtype=float), self.k)   # (Q, k)
        codes = self.y_codes_[idx]                                       # (Q, k)
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
        return self.y_[idx].mean(axis=1)      # uniform weights: a plain mean


def _assign(X, C):
    # ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2. The ||x||^2 term is the same for every
    # centroid, so it cannot change the argmin: one (N, d) @ (d, k) BLAS product
    # replaces an (N, k, d) temporary of differences.
    D = (C ** 2).sum(axis=1)[None, :] - 2.0 * (X @ C.T)   # (N, k), column j = centroid j
    return D.argmin(axis=1)              # the nearest centroid for each point: (N,)


def kmeans(X, k, n_iter=100, init=None, seed=0, tol=0.0):
    X = np.asarray(X, dtype=float)
    if init is None:
        rng = np.random.default_rng(seed)
        C = X[rng.choice(len(X), size=k, replace=False)].copy()  # distinct rows
    else:
        C = np.array(init, dtype=float)        # copy: never modify the caller's array
    for _ in range(n_iter):
        labels = _assign(X, C)
        counts = np.bincount(labels, minlength=k)            # points per cluster, (k,)
        sums = np.zeros_like(C)
        np.add.at(sums, labels, X)                           # per-cluster sums, (k, d)
        # empty clusters keep their old centroid (the mean of nothing would be NaN)
        C_new = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], C)
        shift = ((C_new - C) ** 2).sum()
        C = C_new
        if shift <= tol:                       # converged: the labels stopped changing
            break
    return C, _assign(X, C)                    # labels consistent with the returned C


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
            yield np.flatnonzero(~in_val), val_idx   # train = sorted complement
    return folds()


class GaussianNaiveBayes:
    def __init__(self, var_smoothing=1e-9):
        self.var_smoothing = var_smoothing

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        self.classes_ = np.unique(y)                 # sorted; row i <-> classes_[i]
        C, d = len(self.classes_), X.shape[1]
        self.theta_ = np.zeros((C, d))
        self.var_ = np.zeros((C, d))
        self.class_prior_ = np.zeros(C)
        for i, c in enumerate(self.classes_):        # enumerate: index by position, not value
            rows = X[y == c]
            self.theta_[i] = rows.mean(axis=0)
            self.var_[i] = rows.var(axis=0)          # ddof=0, like scikit-learn
            self.class_prior_[i] = len(rows) / len(X)
        # Smoothing: a fraction of the largest feature variance, added to every variance.
        self.epsilon_ = self.var_smoothing * X.var(axis=0).max()
        self.var_ += self.epsilon_
        return self

    def _joint_log_likelihood(self, X):
        X = np.asarray(X, dtype=float)
        diff = X[:, None, :] - self.theta_[None, :, :]                 # (Q, C, d)
        log_pdf = -0.5 * (np.log(2 * np.pi * self.var_)[None] + diff ** 2 / self.var_[None])
        return np.log(self.class_prior_)[None, :] + log_pdf.sum(axis=2)   # (Q, C)

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
        Xc = np.asarray(X, dtype=float) - self.mean_       # centring is not optional
        return Xc / self.scale_ if self.standardize else Xc

    def fit(self, X):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        if self.standardize:
            std = X.std(axis=0)                                 # ddof=0, like StandardScaler
            self.scale_ = np.where(std > 0, std, 1.0)           # leave constant features alone
        Xc = self._prepare(X)
        cov = Xc.T @ Xc / (len(X) - 1)                          # ddof=1 covariance (d, d)
        eigvals, eigvecs = np.linalg.eigh(cov)                  # symmetric: real, ascending
        order = np.argsort(eigvals)[::-1][: self.n_components]  # descending: [::-1], not [::1]
        self.explained_variance_ = np.clip(eigvals[order], 0.0, None)  # tiny negatives -> 0
        self.components_ = eigvecs[:, order].T                  # eigenvectors are COLUMNS
        return self

    def transform(self, X):
        return self._prepare(X) @ self.components_.T


def pca(X, n_components, standardize=False):
    Xc = X - X.mean(dim=0)
    if standardize:
        std = X.std(dim=0, correction=0)
        Xc = Xc / torch.where(std > 0, std, torch.ones_like(std))
    cov = Xc.T @ Xc / (X.shape[0] - 1)
    eigvals, eigvecs = torch.linalg.eigh(cov)                   # ascending
    eigvals = torch.flip(eigvals, dims=[0])[:n_components]      # tensors have no [::-1]
    components = torch.flip(eigvecs, dims=[1])[:, :n_components].T
    return Xc @ components.T, components, eigvals.clamp_min(0.0)


def hinge_loss(w, b, X, y):
    margins = y * (X @ w + b)                      # > 1: correct and outside the margin
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
            viol = y * (X @ w + b) < 1             # only margin violators have a subgradient
            grad_w = w - self.C * (y[viol, None] * X[viol]).sum(axis=0)
            grad_b = -self.C * y[viol].sum()
            w, b = w - self.lr * grad_w, b - self.lr * grad_b
            J = self._objective(w, b, X, y)
            if J < best_J:                         # subgradient steps are not monotone
                best_J, self.w, self.b = J, w.copy(), float(b)
        return self

    def decision_function(self, X):
        return np.asarray(X, dtype=float) @ self.w + self.b

    def predict(self, X):
        return np.where(self.decision_function(X) >= 0, 1, -1)
