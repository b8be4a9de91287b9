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
    return {c: X[:int((y == c).sum())] for c in np.unique(y)}


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


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
