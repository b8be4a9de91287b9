# Generated from chapters/ch03_linear_models.ipynb by `make generate`: do not edit.

import math

import matplotlib.pyplot as plt
import numpy as np
import scipy.linalg
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import make_blobs
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.linear_model import LogisticRegression as SkLogisticRegression
from sklearn.linear_model import Perceptron as SkPerceptron

from workbook.checks import Check, finite

np.random.seed(0)
_ = torch.manual_seed(0)


def gradient_descent_1d(grad_fn, x0, lr, n_iter):
    x = float(x0)
    for _ in range(n_iter):
        x = x - lr * grad_fn(x)  # step against the slope
    return x


def gradient_descent_torch(f, x0, lr, n_iter):
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    for _ in range(n_iter):
        # autograd.grad returns a fresh gradient: nothing accumulates in x.grad
        (g,) = torch.autograd.grad(f(x), x)
        with torch.no_grad():  # the update itself is not part of the graph
            x -= lr * g
    return float(x.detach())


def fit_linear_regression(X, y, fit_intercept=True):
    X = np.asarray(X, dtype=np.float64)
    A = np.column_stack([np.ones(len(X)), X]) if fit_intercept else X
    # lstsq solves min ||A beta - y|| through an SVD: no inverse, and for a
    # rank-deficient A it returns the minimum-norm minimiser (= pinv(A) @ y)
    beta, *_ = np.linalg.lstsq(A, np.asarray(y, dtype=np.float64), rcond=None)
    return beta


def fit_linear_regression_torch(X, y, fit_intercept=True):
    A = torch.cat([torch.ones(len(X), 1, dtype=X.dtype), X], dim=1) if fit_intercept else X
    Y = y.unsqueeze(1) if y.ndim == 1 else y  # lstsq wants a 2-D right-hand side
    # "gelsd" is SVD based and rank-revealing; the default CPU driver "gelsy" also
    # copes, but "gels" (the only CUDA driver) assumes full rank
    beta = torch.linalg.lstsq(A, Y, driver="gelsd").solution
    return beta.squeeze(1) if y.ndim == 1 else beta


def mse_grads(X, y, W, b):
    residual = X @ W + b - y  # (N, K)
    scale = 2.0 / residual.numel()  # 2 / (N * K): mean over ALL entries
    dW = scale * X.T @ residual  # (D, N) @ (N, K) -> (D, K)
    db = scale * residual.sum(dim=0)  # sum over the batch -> (K,)
    return dW, db


class LinearRegressionGD:
    def fit(self, X, y, epochs, lr):
        self._flat = y.ndim == 1
        Y = y.unsqueeze(1) if self._flat else y
        self.W = torch.zeros(X.shape[1], Y.shape[1], dtype=X.dtype)
        self.b = torch.zeros(Y.shape[1], dtype=X.dtype)
        self.losses = []
        for _ in range(epochs):
            self.losses.append(float(((X @ self.W + self.b - Y) ** 2).mean()))
            dW, db = mse_grads(X, Y, self.W, self.b)
            self.W = self.W - lr * dW
            self.b = self.b - lr * db
        return self

    def predict(self, X):
        out = X @ self.W + self.b
        return out.squeeze(1) if self._flat else out


def _stable_sigmoid(z):
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def logistic_grads(X, y, w, b):
    p = _stable_sigmoid(X @ w + b)
    dz = (p - y) / len(y)  # dL/dz: sigmoid and log cancel
    return X.T @ dz, float(dz.sum())  # chain rule: dz/dw = x, dz/db = 1


class LogisticRegression:
    def __init__(self, lr=0.1, n_iter=1000):
        self.lr, self.n_iter = lr, n_iter

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        self.w, self.b = np.zeros(X.shape[1]), 0.0
        for _ in range(self.n_iter):
            dw, db = logistic_grads(X, y, self.w, self.b)
            self.w = self.w - self.lr * dw
            self.b = self.b - self.lr * db
        return self

    def predict_proba(self, X):
        return _stable_sigmoid(np.asarray(X, dtype=np.float64) @ self.w + self.b)

    def predict(self, X, threshold=0.5):
        # strict '>' : p == 0.5 (z == 0) is class 0, as in scikit-learn
        return (self.predict_proba(X) > threshold).astype(int)


def logistic_grads_torch(X, y, w, b):
    dz = (torch.sigmoid(X @ w + b) - y) / len(y)  # torch.sigmoid is stable at +-1000
    return X.T @ dz, dz.sum()


class LogisticRegressionTorch:
    def __init__(self, lr=0.1, n_iter=1000):
        self.lr, self.n_iter = lr, n_iter

    def fit(self, X, y):
        y = y.to(X.dtype)
        self.w = torch.zeros(X.shape[1], dtype=X.dtype)
        self.b = torch.zeros((), dtype=X.dtype)
        for _ in range(self.n_iter):
            dw, db = logistic_grads_torch(X, y, self.w, self.b)
            self.w = self.w - self.lr * dw
            self.b = self.b - self.lr * db
        return self

    def predict_proba(self, X):
        return torch.sigmoid(X @ self.w + self.b)

    def predict(self, X, threshold=0.5):
        return (self.predict_proba(X) > threshold).long()


class LogisticRegressionModule(nn.Module):
    def __init__(self, in_features):
        super().__init__()
        self.linear = nn.Linear(in_features, 1)  # weight (1, in_features) and bias (1,)

    def forward(self, X):
        return self.linear(X)  # logits: pair with BCEWithLogitsLoss

    def predict_proba(self, X):
        return torch.sigmoid(self.forward(X))


class Perceptron:
    def __init__(self, lr=1.0):
        self.lr = lr

    def fit(self, X, y, max_epochs=20):
        X = np.asarray(X, dtype=np.float64)
        self.w, self.b = np.zeros(X.shape[1]), 0.0
        self.errors_ = []
        for _ in range(max_epochs):
            mistakes = 0
            for x_i, y_i in zip(X, y):
                y_hat = 1 if x_i @ self.w + self.b > 0 else 0  # step activation
                update = self.lr * (y_i - y_hat)  # 0 when correct
                self.w = self.w + update * x_i
                self.b = self.b + update
                mistakes += int(update != 0)
            self.errors_.append(mistakes)
            if mistakes == 0:  # converged
                break
        return self

    def predict(self, X):
        return (np.asarray(X, dtype=np.float64) @ self.w + self.b > 0).astype(int)


def split_by_class(X, y):
    y = np.asarray(y)
    # a boolean mask per label; never `~` on integer indices
    return {c: X[y == c] for c in np.unique(y)}


def decision_grid(predict_fn, xlim, ylim, n):
    xx, yy = np.meshgrid(np.linspace(xlim[0], xlim[1], n), np.linspace(ylim[0], ylim[1], n))
    points = np.column_stack([xx.ravel(), yy.ravel()])  # (n*n, 2): x first, then y
    Z = np.asarray(predict_fn(points)).reshape(xx.shape)
    return xx, yy, Z
