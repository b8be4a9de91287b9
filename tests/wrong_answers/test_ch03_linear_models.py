"""Plausible wrong answers for chapter 3; each must make its item's tests cell raise."""

import numpy as np
import torch
import torch.nn as nn
from harness import chapter_suite, wrong


# ---------------------------------------------------------------- 3.1
@wrong("3.1", "gradient_descent_1d")
def gd_off_by_one(grad_fn, x0, lr, n_iter):
    """Makes n_iter - 1 updates (range(1, n_iter))."""
    x = float(x0)
    for _ in range(1, n_iter):
        x = x - lr * grad_fn(x)
    return x


@wrong("3.1", "gradient_descent_1d")
def gd_ascent(grad_fn, x0, lr, n_iter):
    """Steps along the gradient (x += lr * g): gradient ascent."""
    x = float(x0)
    for _ in range(n_iter):
        x = x + lr * grad_fn(x)
    return x


@wrong("3.1", "gradient_descent_1d")
def gd_returns_history(grad_fn, x0, lr, n_iter):
    """Returns the list of iterates instead of the final float."""
    xs = [float(x0)]
    for _ in range(n_iter):
        xs.append(xs[-1] - lr * grad_fn(xs[-1]))
    return xs


@wrong("3.1", "gradient_descent_torch")
def gd_torch_accumulating_grad(f, x0, lr, n_iter):
    """Calls backward() every step without zeroing x.grad, so gradients accumulate."""
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    for _ in range(n_iter):
        f(x).backward()
        with torch.no_grad():
            x -= lr * x.grad
    return float(x.detach())


@wrong("3.1", "gradient_descent_torch")
def gd_torch_float32(f, x0, lr, n_iter):
    """Works in float32: loses the 1e-12 agreement with the float64 closed form."""
    x = torch.tensor(float(x0), dtype=torch.float32, requires_grad=True)
    for _ in range(n_iter):
        (g,) = torch.autograd.grad(f(x), x)
        with torch.no_grad():
            x -= lr * g
    return float(x.detach())


@wrong("3.1", "gradient_descent_torch")
def gd_torch_returns_tensor(f, x0, lr, n_iter):
    """Returns the tensor itself instead of a Python float."""
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    for _ in range(n_iter):
        (g,) = torch.autograd.grad(f(x), x)
        with torch.no_grad():
            x -= lr * g
    return x.detach()


@wrong("3.1", "gradient_descent_1d")
def gd_keeps_x0_type(grad_fn, x0, lr, n_iter):
    """Starts from x = x0 without float(): an int x0 with n_iter = 0 comes back as an int."""
    x = x0
    for _ in range(n_iter):
        x = x - lr * grad_fn(x)
    return x


@wrong("3.1", "gradient_descent_torch")
def gd_torch_update_without_no_grad(f, x0, lr, n_iter):
    """Updates the leaf in place outside torch.no_grad(): autograd raises RuntimeError."""
    x = torch.tensor(float(x0), dtype=torch.float64, requires_grad=True)
    for _ in range(n_iter):
        (g,) = torch.autograd.grad(f(x), x)
        x -= lr * g
    return float(x.detach())


@wrong("3.1", "gradient_descent_torch")
def gd_torch_tensor_of_x0(f, x0, lr, n_iter):
    """torch.tensor(x0, requires_grad=True): fails for an int x0 (and is float32 for a float)."""
    x = torch.tensor(x0, requires_grad=True)
    for _ in range(n_iter):
        (g,) = torch.autograd.grad(f(x), x)
        with torch.no_grad():
            x -= lr * g
    return float(x.detach())


# ---------------------------------------------------------------- 3.2
@wrong("3.2", "fit_linear_regression")
def fit_normal_equations_inv(X, y, fit_intercept=True):
    """Normal equations with np.linalg.inv(A.T @ A) (D14): fails on a singular design."""
    X = np.asarray(X, dtype=np.float64)
    A = np.column_stack([np.ones(len(X)), X]) if fit_intercept else X
    return np.linalg.inv(A.T @ A) @ A.T @ y


@wrong("3.2", "fit_linear_regression")
def fit_intercept_last(X, y, fit_intercept=True):
    """Puts the column of ones last, so the intercept comes back last."""
    X = np.asarray(X, dtype=np.float64)
    A = np.column_stack([X, np.ones(len(X))]) if fit_intercept else X
    return np.linalg.lstsq(A, y, rcond=None)[0]


@wrong("3.2", "fit_linear_regression")
def fit_ignores_intercept(X, y, fit_intercept=True):
    """Never adds the column of ones."""
    return np.linalg.lstsq(np.asarray(X, dtype=np.float64), y, rcond=None)[0]


@wrong("3.2", "fit_linear_regression")
def fit_solve_normal_equations(X, y, fit_intercept=True):
    """np.linalg.solve on the normal equations: still needs A.T @ A to be invertible."""
    X = np.asarray(X, dtype=np.float64)
    A = np.column_stack([np.ones(len(X)), X]) if fit_intercept else X
    return np.linalg.solve(A.T @ A, A.T @ y)


@wrong("3.2", "fit_linear_regression_torch")
def fit_torch_inverse(X, y, fit_intercept=True):
    """torch.inverse of the normal matrix (D14): _LinAlgError or garbage when singular."""
    A = torch.cat([torch.ones(len(X), 1, dtype=X.dtype), X], 1) if fit_intercept else X
    return torch.inverse(A.T @ A) @ A.T @ y


@wrong("3.2", "fit_linear_regression_torch")
def fit_torch_float32(X, y, fit_intercept=True):
    """Casts to float32 before solving: only ~1e-6 accurate."""
    X, y = X.float(), y.float()
    A = torch.cat([torch.ones(len(X), 1), X], 1) if fit_intercept else X
    Y = y.unsqueeze(1) if y.ndim == 1 else y
    beta = torch.linalg.lstsq(A, Y, driver="gelsd").solution
    return beta.squeeze(1) if y.ndim == 1 else beta


@wrong("3.2", "fit_linear_regression")
def fit_centred(X, y, fit_intercept=True):
    """Centres X and y first (as scikit-learn does): for a rank-deficient X the intercept is
    left out of the minimum-norm problem, so the answer is not pinv(A) @ y."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    if not fit_intercept:
        return np.linalg.lstsq(X, y, rcond=None)[0]
    x_mean, y_mean = X.mean(0), y.mean(0)
    coef = np.linalg.lstsq(X - x_mean, y - y_mean, rcond=None)[0]
    intercept = y_mean - x_mean @ coef
    return np.concatenate([np.atleast_1d(intercept)[None] if coef.ndim == 2 else [intercept], coef])


@wrong("3.2", "fit_linear_regression")
def fit_float32(X, y, fit_intercept=True):
    """Solves in float32 (np.float32 arrays): about 1e-6 accurate and returns float32."""
    X = np.asarray(X, dtype=np.float32)
    A = np.column_stack([np.ones(len(X), dtype=np.float32), X]) if fit_intercept else X
    return np.linalg.lstsq(A, np.asarray(y, dtype=np.float32), rcond=None)[0]


@wrong("3.2", "fit_linear_regression_torch")
def fit_torch_gels(X, y, fit_intercept=True):
    """driver="gels" (QR, the CUDA default) assumes full rank: garbage on a rank-deficient X."""
    A = torch.cat([torch.ones(len(X), 1, dtype=X.dtype), X], dim=1) if fit_intercept else X
    Y = y.unsqueeze(1) if y.ndim == 1 else y
    beta = torch.linalg.lstsq(A, Y, driver="gels").solution
    return beta.squeeze(1) if y.ndim == 1 else beta


@wrong("3.2", "fit_linear_regression_torch")
def fit_torch_unsqueeze_in_place(X, y, fit_intercept=True):
    """Makes y 2-D with y.unsqueeze_(1): the caller's y changes shape."""
    flat = y.ndim == 1
    if flat:
        y.unsqueeze_(1)
    A = torch.cat([torch.ones(len(X), 1, dtype=X.dtype), X], dim=1) if fit_intercept else X
    beta = torch.linalg.lstsq(A, y, driver="gelsd").solution
    return beta.squeeze(1) if flat else beta


@wrong("3.2", "fit_linear_regression")
def fit_pinv_normal_equations(X, y, fit_intercept=True):
    """pinv(A^T A) @ A^T y: survives a singular A^T A, but squares the condition number."""
    X = np.asarray(X, dtype=float)
    A = np.column_stack([np.ones(len(X)), X]) if fit_intercept else X
    return np.linalg.pinv(A.T @ A) @ A.T @ np.asarray(y, dtype=float)


# ---------------------------------------------------------------- 3.3
@wrong("3.3", "mse_grads")
def mse_grads_no_two(X, y, W, b):
    """Forgets the factor 2 from the square."""
    r = X @ W + b - y
    return X.T @ r / r.numel(), r.sum(0) / r.numel()


@wrong("3.3", "mse_grads")
def mse_grads_divide_by_n(X, y, W, b):
    """Divides by N only; F.mse_loss averages over N*K entries (wrong for K > 1)."""
    r = X @ W + b - y
    return 2 * X.T @ r / len(X), 2 * r.sum(0) / len(X)


@wrong("3.3", "mse_grads")
def mse_grads_sign(X, y, W, b):
    """Uses y - y_hat: the gradient has the wrong sign."""
    r = y - (X @ W + b)
    return 2 * X.T @ r / r.numel(), 2 * r.sum(0) / r.numel()


@wrong("3.3", "mse_grads")
def mse_grads_db_mean(X, y, W, b):
    """db is averaged once more (mean over rows of the already-scaled residual)."""
    r = X @ W + b - y
    return 2 * X.T @ r / r.numel(), 2 * r.mean(0) / r.numel()


@wrong("3.3", "LinearRegressionGD", factory=True)
def lrgd_no_bias_update(ns):
    """fit never updates the bias."""

    class LinearRegressionGD(ns["LinearRegressionGD"]):
        def fit(self, X, y, epochs, lr):
            self._flat = y.ndim == 1
            Y = y.unsqueeze(1) if self._flat else y
            self.W = torch.zeros(X.shape[1], Y.shape[1], dtype=X.dtype)
            self.b = torch.zeros(Y.shape[1], dtype=X.dtype)
            self.losses = []
            for _ in range(epochs):
                self.losses.append(float(((X @ self.W + self.b - Y) ** 2).mean()))
                dW, _ = ns["mse_grads"](X, Y, self.W, self.b)
                self.W = self.W - lr * dW
            return self

    return LinearRegressionGD


@wrong("3.3", "LinearRegressionGD", factory=True)
def lrgd_loss_after_update(ns):
    """Records the loss after each update, so losses[0] is not the starting loss."""

    class LinearRegressionGD(ns["LinearRegressionGD"]):
        def fit(self, X, y, epochs, lr):
            self._flat = y.ndim == 1
            Y = y.unsqueeze(1) if self._flat else y
            self.W = torch.zeros(X.shape[1], Y.shape[1], dtype=X.dtype)
            self.b = torch.zeros(Y.shape[1], dtype=X.dtype)
            self.losses = []
            for _ in range(epochs):
                dW, db = ns["mse_grads"](X, Y, self.W, self.b)
                self.W, self.b = self.W - lr * dW, self.b - lr * db
                self.losses.append(float(((X @ self.W + self.b - Y) ** 2).mean()))
            return self

    return LinearRegressionGD


@wrong("3.3", "LinearRegressionGD", factory=True)
def lrgd_predict_keeps_column(ns):
    """predict returns (N, 1) even when fitted on 1-D y."""

    class LinearRegressionGD(ns["LinearRegressionGD"]):
        def predict(self, X):
            return X @ self.W + self.b

    return LinearRegressionGD


@wrong("3.3", "mse_grads")
def mse_grads_float32(X, y, W, b):
    """Computes in float32 (X.float() ...): gradients only ~1e-7 accurate, wrong dtype."""
    r = X.float() @ W.float() + b.float() - y.float()
    return 2 * X.float().T @ r / r.numel(), 2 * r.sum(0) / r.numel()


@wrong("3.3", "LinearRegressionGD", factory=True)
def lrgd_warm_start(ns):
    """Keeps W and b from the previous fit (initialises them only once)."""

    class LinearRegressionGD(ns["LinearRegressionGD"]):
        def fit(self, X, y, epochs, lr):
            self._flat = y.ndim == 1
            Y = y.unsqueeze(1) if self._flat else y
            if getattr(self, "W", None) is None or self.W.shape != (X.shape[1], Y.shape[1]):
                self.W = torch.zeros(X.shape[1], Y.shape[1], dtype=X.dtype)
                self.b = torch.zeros(Y.shape[1], dtype=X.dtype)
            self.losses = []
            for _ in range(epochs):
                self.losses.append(float(((X @ self.W + self.b - Y) ** 2).mean()))
                dW, db = ns["mse_grads"](X, Y, self.W, self.b)
                self.W, self.b = self.W - lr * dW, self.b - lr * db
            return self

    return LinearRegressionGD


@wrong("3.3", "LinearRegressionGD", factory=True)
def lrgd_losses_tensors(ns):
    """Appends the loss tensor itself (no float()/.item()): losses holds 0-d tensors."""

    class LinearRegressionGD(ns["LinearRegressionGD"]):
        def fit(self, X, y, epochs, lr):
            self._flat = y.ndim == 1
            Y = y.unsqueeze(1) if self._flat else y
            self.W = torch.zeros(X.shape[1], Y.shape[1], dtype=X.dtype)
            self.b = torch.zeros(Y.shape[1], dtype=X.dtype)
            self.losses = []
            for _ in range(epochs):
                self.losses.append(((X @ self.W + self.b - Y) ** 2).mean())
                dW, db = ns["mse_grads"](X, Y, self.W, self.b)
                self.W, self.b = self.W - lr * dW, self.b - lr * db
            return self

    return LinearRegressionGD


@wrong("3.3", "LinearRegressionGD", factory=True)
def lrgd_unsqueeze_in_place(ns):
    """Turns a 1-D y into a column with y.unsqueeze_(1), changing the caller's tensor."""
    parent = ns["LinearRegressionGD"]

    class LinearRegressionGD(parent):
        def fit(self, X, y, epochs, lr):
            flat = y.ndim == 1
            if flat:
                y.unsqueeze_(1)
            super().fit(X, y, epochs, lr)
            self._flat = flat
            return self

    return LinearRegressionGD


# ---------------------------------------------------------------- 3.4
@wrong("3.4", "logistic_grads")
def logistic_grads_sum(X, y, w, b):
    """Sums over the batch instead of averaging (missing 1/N)."""
    p = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
    return X.T @ (p - y), float((p - y).sum())


@wrong("3.4", "logistic_grads")
def logistic_grads_sign(X, y, w, b):
    """Uses y - p (the gradient of the log-likelihood, not of the loss)."""
    p = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
    return X.T @ (y - p) / len(y), float((y - p).mean())


@wrong("3.4", "logistic_grads")
def logistic_grads_dz_only(X, y, w, b):
    """Returns dL/dz averaged as 'dw' (the 'dloss/dw = y_pred - y' comment, H6)."""
    p = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
    dz = (p - y) / len(y)
    return np.full(X.shape[1], dz.sum()), float(dz.sum())


@wrong("3.4", "logistic_grads")
def logistic_grads_mse(X, y, w, b):
    """Gradient of MSE on the probabilities: (p - y) p (1 - p) x."""
    p = 1 / (1 + np.exp(-np.clip(X @ w + b, -500, 500)))
    dz = 2 * (p - y) * p * (1 - p) / len(y)
    return X.T @ dz, float(dz.sum())


@wrong("3.4", "LogisticRegression", factory=True)
def logreg_predict_ge(ns):
    """predict uses p >= threshold, against the documented strict rule (D34)."""

    class LogisticRegression(ns["LogisticRegression"]):
        def predict(self, X, threshold=0.5):
            return (self.predict_proba(X) >= threshold).astype(int)

    return LogisticRegression


@wrong("3.4", "LogisticRegression", factory=True)
def logreg_ignores_threshold(ns):
    """predict ignores its threshold argument."""

    class LogisticRegression(ns["LogisticRegression"]):
        def predict(self, X, threshold=0.5):
            return (self.predict_proba(X) > 0.5).astype(int)

    return LogisticRegression


@wrong("3.4", "LogisticRegression", factory=True)
def logreg_no_bias(ns):
    """fit never learns the bias."""

    class LogisticRegression(ns["LogisticRegression"]):
        def fit(self, X, y):
            X = np.asarray(X, dtype=np.float64)
            y = np.asarray(y, dtype=np.float64)
            self.w, self.b = np.zeros(X.shape[1]), 0.0
            for _ in range(self.n_iter):
                dw, _ = ns["logistic_grads"](X, y, self.w, self.b)
                self.w = self.w - self.lr * dw
            return self

    return LogisticRegression


@wrong("3.4", "LogisticRegression", factory=True)
def logreg_predict_floats(ns):
    """predict returns rounded float probabilities instead of integer labels."""

    class LogisticRegression(ns["LogisticRegression"]):
        def predict(self, X, threshold=0.5):
            return (self.predict_proba(X) > threshold) * 1.0

    return LogisticRegression


@wrong("3.4", "logistic_grads_torch")
def logistic_grads_torch_sum(X, y, w, b):
    """Gradient of the summed (not mean) loss: N times too large."""
    dz = torch.sigmoid(X @ w + b) - y
    return X.T @ dz, dz.sum()


@wrong("3.4", "logistic_grads_torch")
def logistic_grads_torch_no_x(X, y, w, b):
    """Returns dL/dz summed as dw for every weight (forgets the factor x of the chain rule)."""
    dz = (torch.sigmoid(X @ w + b) - y) / len(y)
    return dz.sum() * torch.ones_like(w), dz.sum()


@wrong("3.4", "LogisticRegressionTorch", factory=True)
def logreg_torch_predict_ge(ns):
    """predict uses p >= threshold (D34), against the documented strict rule."""

    class LogisticRegressionTorch(ns["LogisticRegressionTorch"]):
        def predict(self, X, threshold=0.5):
            return (self.predict_proba(X) >= threshold).long()

    return LogisticRegressionTorch


@wrong("3.4", "LogisticRegressionTorch", factory=True)
def logreg_torch_bool_predict(ns):
    """predict returns a bool tensor instead of int64 labels."""

    class LogisticRegressionTorch(ns["LogisticRegressionTorch"]):
        def predict(self, X, threshold=0.5):
            return self.predict_proba(X) > threshold

    return LogisticRegressionTorch


@wrong("3.4", "logistic_grads")
def logistic_grads_naive_sigmoid(X, y, w, b):
    """Naive sigmoid 1 / (1 + exp(-z)): exp overflows (RuntimeWarning) for z = -1000."""
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    dz = (p - y) / len(y)
    return X.T @ dz, float(dz.sum())


@wrong("3.4", "LogisticRegression", factory=True)
def logreg_naive_sigmoid_proba(ns):
    """predict_proba uses the naive sigmoid: exp(2000) overflows."""

    class LogisticRegression(ns["LogisticRegression"]):
        def predict_proba(self, X):
            return 1.0 / (1.0 + np.exp(-(np.asarray(X, dtype=float) @ self.w + self.b)))

    return LogisticRegression


@wrong("3.4", "LogisticRegression", factory=True)
def logreg_warm_start(ns):
    """fit continues from the weights of a previous fit instead of w = 0, b = 0."""

    class LogisticRegression(ns["LogisticRegression"]):
        def fit(self, X, y):
            X = np.asarray(X, dtype=np.float64)
            y = np.asarray(y, dtype=np.float64)
            if not hasattr(self, "w"):
                self.w, self.b = np.zeros(X.shape[1]), 0.0
            for _ in range(self.n_iter):
                dw, db = ns["logistic_grads"](X, y, self.w, self.b)
                self.w, self.b = self.w - self.lr * dw, self.b - self.lr * db
            return self

    return LogisticRegression


@wrong("3.4", "logistic_grads_torch")
def logistic_grads_torch_float_db(X, y, w, b):
    """Returns db as a Python float (.item()) instead of a 0-d tensor."""
    dz = (torch.sigmoid(X @ w + b) - y) / len(y)
    return X.T @ dz, dz.sum().item()


@wrong("3.4", "LogisticRegressionTorch", factory=True)
def logreg_torch_int32_predict(ns):
    """predict returns .int() (int32) labels instead of int64."""

    class LogisticRegressionTorch(ns["LogisticRegressionTorch"]):
        def predict(self, X, threshold=0.5):
            return (self.predict_proba(X) > threshold).int()

    return LogisticRegressionTorch


# ---------------------------------------------------------------- 3.5
@wrong("3.5", "LogisticRegressionModule")
class LogRegModuleSigmoidForward(nn.Module):
    """forward applies the sigmoid, returning probabilities instead of logits."""

    def __init__(self, in_features):
        super().__init__()
        self.linear = nn.Linear(in_features, 1)

    def forward(self, X):
        return torch.sigmoid(self.linear(X))

    def predict_proba(self, X):
        return self.forward(X)


@wrong("3.5", "LogisticRegressionModule")
class LogRegModuleSqueezed(nn.Module):
    """forward squeezes the output to shape (N,)."""

    def __init__(self, in_features):
        super().__init__()
        self.linear = nn.Linear(in_features, 1)

    def forward(self, X):
        return self.linear(X).squeeze(1)

    def predict_proba(self, X):
        return torch.sigmoid(self.forward(X))


@wrong("3.5", "LogisticRegressionModule")
class LogRegModuleProbaIsLogit(nn.Module):
    """predict_proba returns the logits (forgets the sigmoid)."""

    def __init__(self, in_features):
        super().__init__()
        self.linear = nn.Linear(in_features, 1)

    def forward(self, X):
        return self.linear(X)

    def predict_proba(self, X):
        return self.linear(X)


@wrong("3.5", "LogisticRegressionModule")
class LogRegModuleFrozen(nn.Module):
    """Stores plain tensors instead of parameters, so the optimizer trains nothing."""

    def __init__(self, in_features):
        super().__init__()
        self.w = torch.randn(in_features, 1) * 0.01
        self.b = torch.zeros(1)

    def forward(self, X):
        return X @ self.w + self.b

    def predict_proba(self, X):
        return torch.sigmoid(self.forward(X))


@wrong("3.5", "LogisticRegressionModule")
class LogRegModuleNoBias(nn.Module):
    """nn.Linear(in_features, 1, bias=False): the boundary must pass through the origin."""

    def __init__(self, in_features):
        super().__init__()
        self.linear = nn.Linear(in_features, 1, bias=False)

    def forward(self, X):
        return self.linear(X)

    def predict_proba(self, X):
        return torch.sigmoid(self.forward(X))


@wrong("3.5", "LogisticRegressionModule")
class LogRegModuleTwoLogits(nn.Module):
    """A two-class head nn.Linear(in_features, 2): logits of shape (N, 2), not (N, 1)."""

    def __init__(self, in_features):
        super().__init__()
        self.linear = nn.Linear(in_features, 2)

    def forward(self, X):
        return self.linear(X)

    def predict_proba(self, X):
        return torch.softmax(self.forward(X), dim=1)[:, 1:]


@wrong("3.5", "LogisticRegressionModule")
class LogRegModuleDropout(nn.Module):
    """Adds dropout on the input: train-mode logits are random and rescaled."""

    def __init__(self, in_features):
        super().__init__()
        self.drop = nn.Dropout(0.2)
        self.linear = nn.Linear(in_features, 1)

    def forward(self, X):
        return self.linear(self.drop(X))

    def predict_proba(self, X):
        return torch.sigmoid(self.forward(X))


@wrong("3.5", "LogisticRegressionModule")
class LogRegModuleProbaClamped(nn.Module):
    """predict_proba clamps the logits to [-10, 10] first 'for safety': wrong probabilities."""

    def __init__(self, in_features):
        super().__init__()
        self.linear = nn.Linear(in_features, 1)

    def forward(self, X):
        return self.linear(X)

    def predict_proba(self, X):
        return torch.sigmoid(self.forward(X).clamp(-10, 10))


# ---------------------------------------------------------------- 3.6
@wrong("3.6", "Perceptron", factory=True)
def perceptron_no_bias(ns):
    """Never updates the bias: AND is not learnable through the origin."""

    class Perceptron(ns["Perceptron"]):
        def fit(self, X, y, max_epochs=20):
            X = np.asarray(X, dtype=np.float64)
            self.w, self.b, self.errors_ = np.zeros(X.shape[1]), 0.0, []
            for _ in range(max_epochs):
                mistakes = 0
                for x_i, y_i in zip(X, y):
                    update = self.lr * (y_i - (1 if x_i @ self.w > 0 else 0))
                    self.w = self.w + update * x_i
                    mistakes += int(update != 0)
                self.errors_.append(mistakes)
                if mistakes == 0:
                    break
            return self

    return Perceptron


@wrong("3.6", "Perceptron", factory=True)
def perceptron_ge_step(ns):
    """Step activation with >= 0 (an untrained model predicts all ones)."""

    class Perceptron(ns["Perceptron"]):
        def fit(self, X, y, max_epochs=20):
            X = np.asarray(X, dtype=np.float64)
            self.w, self.b, self.errors_ = np.zeros(X.shape[1]), 0.0, []
            for _ in range(max_epochs):
                mistakes = 0
                for x_i, y_i in zip(X, y):
                    update = self.lr * (y_i - (1 if x_i @ self.w + self.b >= 0 else 0))
                    self.w, self.b = self.w + update * x_i, self.b + update
                    mistakes += int(update != 0)
                self.errors_.append(mistakes)
                if mistakes == 0:
                    break
            return self

        def predict(self, X):
            return (np.asarray(X, dtype=np.float64) @ self.w + self.b >= 0).astype(int)

    return Perceptron


@wrong("3.6", "Perceptron", factory=True)
def perceptron_never_stops(ns):
    """Keeps running all max_epochs even after an error-free epoch."""

    class Perceptron(ns["Perceptron"]):
        def fit(self, X, y, max_epochs=20):
            X = np.asarray(X, dtype=np.float64)
            self.w, self.b, self.errors_ = np.zeros(X.shape[1]), 0.0, []
            for _ in range(max_epochs):
                mistakes = 0
                for x_i, y_i in zip(X, y):
                    update = self.lr * (y_i - (1 if x_i @ self.w + self.b > 0 else 0))
                    self.w, self.b = self.w + update * x_i, self.b + update
                    mistakes += int(update != 0)
                self.errors_.append(mistakes)
            return self

    return Perceptron


def _perceptron(
    ns, step=lambda z: 1 if z > 0 else 0, use_lr=True, reset=True, rule="01", count_after=False
):
    class Perceptron(ns["Perceptron"]):
        def fit(self, X, y, max_epochs=20):
            X = np.asarray(X, dtype=np.float64)
            if reset or not hasattr(self, "w"):
                self.w, self.b = np.zeros(X.shape[1]), 0.0
            self.errors_ = []
            lr = self.lr if use_lr else 1.0
            for _ in range(max_epochs):
                mistakes = 0
                for x_i, y_i in zip(X, y):
                    z = x_i @ self.w + self.b
                    if rule == "pm1":  # the {-1, +1} rule on {0, 1} labels
                        update = lr * y_i if y_i * z <= 0 else 0.0
                    else:
                        update = lr * (y_i - step(z))
                    self.w, self.b = self.w + update * x_i, self.b + update
                    mistakes += int(update != 0)
                if count_after:
                    mistakes = int((self.predict(X) != np.asarray(y)).sum())
                self.errors_.append(mistakes)
                if mistakes == 0:
                    break
            return self

    return Perceptron


@wrong("3.6", "Perceptron", factory=True)
def perceptron_ignores_lr(ns):
    """Always steps by 1, ignoring lr (predictions from w = 0 are scale-free, w is not)."""
    return _perceptron(ns, use_lr=False)


@wrong("3.6", "Perceptron", factory=True)
def perceptron_pm1_rule_on_01_labels(ns):
    """Uses the {-1, +1} rule (update y x when y z <= 0) on {0, 1} labels: negatives never
    move the weights."""
    return _perceptron(ns, rule="pm1")


@wrong("3.6", "Perceptron", factory=True)
def perceptron_counts_after_epoch(ns):
    """Counts the mistakes of the weights at the END of each epoch, not those made during it."""
    return _perceptron(ns, count_after=True)


@wrong("3.6", "Perceptron", factory=True)
def perceptron_warm_start(ns):
    """Keeps w and b from a previous fit."""
    return _perceptron(ns, reset=False)


# ---------------------------------------------------------------- 3.7
@wrong("3.7", "split_by_class")
def split_bitwise_not(X, y):
    """The seed's plotting bug (H4): `~` on integer indices selects rows -i-1."""
    out = {}
    for c in np.unique(y):
        idx = np.where(y != c)[0]
        out[c] = X[~idx]
    return out


@wrong("3.7", "split_by_class")
def split_first_rows(X, y):
    """Takes the first n_c rows for class c instead of the rows labelled c."""
    return {c: X[: int((y == c).sum())] for c in np.unique(y)}


@wrong("3.7", "decision_grid")
def grid_ij_indexing(predict_fn, xlim, ylim, n):
    """Uses meshgrid(..., indexing='ij'): the grid is transposed."""
    xx, yy = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n), indexing="ij")
    Z = predict_fn(np.column_stack([xx.ravel(), yy.ravel()])).reshape(n, n)
    return xx, yy, Z


@wrong("3.7", "decision_grid")
def grid_swapped_columns(predict_fn, xlim, ylim, n):
    """Stacks the points as (y, x) instead of (x, y)."""
    xx, yy = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    Z = predict_fn(np.column_stack([yy.ravel(), xx.ravel()])).reshape(n, n)
    return xx, yy, Z


@wrong("3.7", "decision_grid")
def grid_flat_z(predict_fn, xlim, ylim, n):
    """Forgets to reshape Z to (n, n)."""
    xx, yy = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    return xx, yy, predict_fn(np.column_stack([xx.ravel(), yy.ravel()]))


@wrong("3.7", "decision_grid")
def grid_point_by_point(predict_fn, xlim, ylim, n):
    """Calls predict_fn once per grid point (n*n calls) instead of once."""
    xx, yy = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    Z = np.array([predict_fn(np.array([[a, b]]))[0] for a, b in zip(xx.ravel(), yy.ravel())])
    return xx, yy, Z.reshape(n, n)


@wrong("3.7", "split_by_class")
def split_indices(X, y):
    """Maps each label to the row INDICES (np.where(y == c)[0]) instead of the rows."""
    y = np.asarray(y)
    return {c: np.where(y == c)[0] for c in np.unique(y)}


@wrong("3.7", "decision_grid")
def grid_arange(predict_fn, xlim, ylim, n):
    """np.arange with step (hi - lo) / n: excludes the upper limit (the grid is not inclusive)."""
    xs = np.arange(xlim[0], xlim[1], (xlim[1] - xlim[0]) / n)
    ys = np.arange(ylim[0], ylim[1], (ylim[1] - ylim[0]) / n)
    xx, yy = np.meshgrid(xs, ys)
    Z = np.asarray(predict_fn(np.column_stack([xx.ravel(), yy.ravel()]))).reshape(xx.shape)
    return xx, yy, Z


@wrong("3.7", "decision_grid")
def grid_vstack_points(predict_fn, xlim, ylim, n):
    """np.vstack([xx.ravel(), yy.ravel()]): passes a (2, n*n) array, one column per point."""
    xx, yy = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))
    points = np.vstack([xx.ravel(), yy.ravel()])
    return xx, yy, np.asarray(predict_fn(points)).reshape(xx.shape)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
