"""Plausible wrong answers for chapter 14; each must make its item's tests cell raise."""
import warnings

import numpy as np
from sklearn import metrics

from harness import chapter_suite, wrong


# ---------------------------------------------------------------- 14.1
@wrong("14.1", "confusion_counts")
def confusion_counts_sklearn_order(y_true, y_pred):
    """Returns sklearn's ravel() order (tn, fp, fn, tp) instead of (tp, fp, fn, tn)."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return (int(np.sum(~y_true & ~y_pred)), int(np.sum(~y_true & y_pred)),
            int(np.sum(y_true & ~y_pred)), int(np.sum(y_true & y_pred)))


@wrong("14.1", "confusion_counts")
def confusion_counts_fp_fn_swapped(y_true, y_pred):
    """Calls a missed positive a false positive: FP and FN swapped."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return (int(np.sum(y_true & y_pred)), int(np.sum(y_true & ~y_pred)),
            int(np.sum(~y_true & y_pred)), int(np.sum(~y_true & ~y_pred)))


@wrong("14.1", "confusion_counts")
def confusion_counts_tp_is_agreement(y_true, y_pred):
    """Counts every correct prediction (including true negatives) as a true positive."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return (int(np.sum(y_true == y_pred)), int(np.sum(~y_true & y_pred)),
            int(np.sum(y_true & ~y_pred)), int(np.sum(~y_true & ~y_pred)))


@wrong("14.1", "confusion_counts")
def confusion_counts_no_labels(y_true, y_pred):
    """Uses confusion_matrix without labels=[0, 1]: a single-class input gives a 1x1 matrix."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # sklearn warns about the single label, then we crash
        tn, fp, fn, tp = metrics.confusion_matrix(y_true, y_pred).ravel()
    return int(tp), int(fp), int(fn), int(tn)


# ---------------------------------------------------------------- 14.2
@wrong("14.2", "precision_recall")
def precision_recall_nan_on_zero_division(y_true, y_pred, zero_division=0.0):
    """The notes' bug (D25): divides 0/0 and returns nan when nothing is predicted positive."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = np.sum(y_true & y_pred)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(tp / np.sum(y_pred)), float(tp / np.sum(y_true))


@wrong("14.2", "precision_recall")
def precision_recall_swapped(y_true, y_pred, zero_division=0.0):
    """Divides by the actual positives for precision and by the predicted ones for recall."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = np.sum(y_true & y_pred)
    p = tp / np.sum(y_true) if np.sum(y_true) else zero_division
    r = tp / np.sum(y_pred) if np.sum(y_pred) else zero_division
    return float(p), float(r)


@wrong("14.2", "precision_recall")
def precision_recall_epsilon(y_true, y_pred, zero_division=0.0):
    """Adds an epsilon to the denominators, so 0/0 is always 0 whatever zero_division says."""
    y_true, y_pred = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = np.sum(y_true & y_pred)
    return float(tp / (np.sum(y_pred) + 1e-12)), float(tp / (np.sum(y_true) + 1e-12))


# ---------------------------------------------------------------- 14.3
@wrong("14.3", "tpr_fpr")
def tpr_fpr_strict_threshold(y_true, scores, threshold):
    """Uses score > threshold, so samples exactly on the threshold are predicted negative."""
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(scores) > threshold
    return (float(np.sum(y_pred & y_true) / np.sum(y_true)),
            float(np.sum(y_pred & ~y_true) / np.sum(~y_true)))


@wrong("14.3", "tpr_fpr")
def tpr_fpr_fpr_over_all(y_true, scores, threshold):
    """Divides false positives by all n samples instead of by the negatives."""
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(scores) >= threshold
    return (float(np.sum(y_pred & y_true) / np.sum(y_true)),
            float(np.sum(y_pred & ~y_true) / len(y_true)))


@wrong("14.3", "tpr_fpr")
def tpr_fpr_tpr_is_precision(y_true, scores, threshold):
    """Divides true positives by the predicted positives (precision), not the actual ones."""
    y_true = np.asarray(y_true).astype(bool)
    y_pred = np.asarray(scores) >= threshold
    n_pred = max(int(np.sum(y_pred)), 1)
    return (float(np.sum(y_pred & y_true) / n_pred),
            float(np.sum(y_pred & ~y_true) / np.sum(~y_true)))


# ---------------------------------------------------------------- 14.4
@wrong("14.4", "roc_auc_rank")
def roc_auc_ties_as_wins(y_true, scores):
    """Counts a tie between a positive and a negative as a win (>=)."""
    y_true, scores = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    return float(np.mean(scores[y_true][:, None] >= scores[~y_true][None, :]))


@wrong("14.4", "roc_auc_rank")
def roc_auc_ties_as_losses(y_true, scores):
    """Counts a tie between a positive and a negative as a loss (>)."""
    y_true, scores = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    return float(np.mean(scores[y_true][:, None] > scores[~y_true][None, :]))


@wrong("14.4", "roc_auc_rank")
def roc_auc_ordinal_ranks(y_true, scores):
    """Ranks with argsort().argsort(): tied scores get different ranks, not their average."""
    y_true, scores = np.asarray(y_true).astype(bool), np.asarray(scores, dtype=float)
    ranks = np.argsort(np.argsort(scores, kind="stable"), kind="stable") + 1.0
    n_pos, n_neg = y_true.sum(), (~y_true).sum()
    return float((ranks[y_true].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@wrong("14.4", "roc_curve")
def roc_curve_one_point_per_sample(y_true, scores):
    """Adds a point per sample, so tied scores make a staircase instead of one step."""
    y_true, scores = np.asarray(y_true, dtype=float), np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    tps, fps = np.r_[0.0, np.cumsum(y_true[order])], np.r_[0.0, np.cumsum(1 - y_true[order])]
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, scores[order]]


@wrong("14.4", "roc_curve")
def roc_curve_no_origin(y_true, scores):
    """Forgets the (0, 0) point with threshold inf at the start of the curve."""
    y_true, scores = np.asarray(y_true, dtype=float), np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="stable")
    s, y = scores[order], y_true[order]
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tps, fps = np.cumsum(y)[last], np.cumsum(1 - y)[last]
    return fps / fps[-1], tps / tps[-1], s[last]


@wrong("14.4", "auc_trapezoid")
def auc_left_riemann(x, y):
    """A left Riemann sum: uses the left height of each interval instead of the mean."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return float(np.sum(np.diff(x) * y[:-1]))


@wrong("14.4", "auc_trapezoid")
def auc_trapezoid_swapped_axes(x, y):
    """Calls np.trapezoid(x, y): integrates x over y instead of y over x."""
    return float(np.trapezoid(np.asarray(x, dtype=float), np.asarray(y, dtype=float)))


# ---------------------------------------------------------------- 14.5
def _iou_parts(a, b, one, clamp=True):
    ax1, ay1, ax2, ay2 = (float(v) for v in a)
    bx1, by1, bx2, by2 = (float(v) for v in b)
    iw = min(ax2, bx2) - max(ax1, bx1) + one
    ih = min(ay2, by2) - max(ay1, by1) + one
    if clamp:
        iw, ih = max(iw, 0.0), max(ih, 0.0)
    return iw * ih, (ax2 - ax1 + one) * (ay2 - ay1 + one), (bx2 - bx1 + one) * (by2 - by1 + one)


@wrong("14.5", "box_iou")
def box_iou_no_clamp(a, b, inclusive=False):
    """Does not clamp negative overlaps: boxes disjoint in x and y get a positive intersection."""
    inter, area_a, area_b = _iou_parts(a, b, 1.0 if inclusive else 0.0, clamp=False)
    return inter / (area_a + area_b - inter)


@wrong("14.5", "box_iou")
def box_iou_ignores_inclusive(a, b, inclusive=False):
    """Never adds the +1 pixel, whatever `inclusive` says."""
    inter, area_a, area_b = _iou_parts(a, b, 0.0)
    return inter / (area_a + area_b - inter) if area_a + area_b - inter > 0 else 0.0


@wrong("14.5", "box_iou")
def box_iou_plus_one_only_in_intersection(a, b, inclusive=False):
    """Adds +1 to the intersection's width and height but not to the two areas."""
    one = 1.0 if inclusive else 0.0
    inter, _, _ = _iou_parts(a, b, one)
    _, area_a, area_b = _iou_parts(a, b, 0.0)
    return inter / (area_a + area_b - inter)


@wrong("14.5", "box_iou")
def box_iou_union_is_sum(a, b, inclusive=False):
    """Uses |a| + |b| as the union, counting the intersection twice."""
    inter, area_a, area_b = _iou_parts(a, b, 1.0 if inclusive else 0.0)
    return inter / (area_a + area_b)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_no_clamp(A, B):
    """Multiplies the raw width and height differences without clamping them at 0."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])
    wh = np.minimum(A[:, None, 2:], B[None, :, 2:]) - np.maximum(A[:, None, :2], B[None, :, :2])
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_a[:, None] + area_b[None, :] - inter)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_transposed(A, B):
    """Broadcasts B against A, returning the (M, N) matrix instead of (N, M)."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])
    wh = np.clip(np.minimum(B[:, None, 2:], A[None, :, 2:])
                 - np.maximum(B[:, None, :2], A[None, :, :2]), 0, None)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_b[:, None] + area_a[None, :] - inter)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_wrong_axis_area(A, B):
    """Computes areas with the coordinates paired wrongly: (x2 - y1) * (y2 - x1)."""
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    area_a = (A[:, 2] - A[:, 1]) * (A[:, 3] - A[:, 0])
    area_b = (B[:, 2] - B[:, 1]) * (B[:, 3] - B[:, 0])
    wh = np.clip(np.minimum(A[:, None, 2:], B[None, :, 2:])
                 - np.maximum(A[:, None, :2], B[None, :, :2]), 0, None)
    inter = wh[..., 0] * wh[..., 1]
    return inter / (area_a[:, None] + area_b[None, :] - inter)



# ---------------------------------------------------------------- added for issue 16
@wrong("14.1", "confusion_counts")
def confusion_numpy_ints(y_true, y_pred):
    """Returns np.int64 counts from np.sum, not the Python ints the docstring promises."""
    t, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    return np.sum(t & p), np.sum(~t & p), np.sum(t & ~p), np.sum(~t & ~p)


@wrong("14.1", "confusion_counts")
def confusion_relabels_in_place(y_true, y_pred):
    """Recodes 0 as -1 in place (y[y == 0] = -1) to use products: the caller's labels change."""
    t, p = np.asarray(y_true), np.asarray(y_pred)
    if t.dtype != bool:
        t[t == 0] = -1
        p[p == 0] = -1
        tb, pb = t == 1, p == 1
    else:
        tb, pb = t, p
    return (int(np.sum(tb & pb)), int(np.sum(~tb & pb)), int(np.sum(tb & ~pb)),
            int(np.sum(~tb & ~pb)))


@wrong("14.2", "precision_recall")
def precision_recall_recall_ignores_zero_division(y_true, y_pred, zero_division=0.0):
    """Uses zero_division for precision only; recall with no actual positives is always 0."""
    t, p = np.asarray(y_true).astype(bool), np.asarray(y_pred).astype(bool)
    tp = int(np.sum(t & p))
    precision = tp / p.sum() if p.sum() else float(zero_division)
    recall = tp / t.sum() if t.sum() else 0.0
    return float(precision), float(recall)


@wrong("14.2", "precision_recall")
def precision_recall_binarises_in_place(y_true, y_pred, zero_division=0.0):
    """Binarises the predictions in place (y_pred[y_pred > 0] = 1, np.asarray shares memory)."""
    t, p = np.asarray(y_true), np.asarray(y_pred)
    p[:] = (p > 0) & (t >= 0)
    t[:] = t > 0
    tp = int(np.sum(t.astype(bool) & p.astype(bool)))
    npp, ntp = int(p.astype(bool).sum()), int(t.astype(bool).sum())
    precision = tp / npp if npp else float(zero_division)
    recall = tp / ntp if ntp else float(zero_division)
    if t.dtype != bool:
        t[t == 0] = -1       # "negative class is -1" for later use
    return float(precision), float(recall)


@wrong("14.3", "tpr_fpr")
def tpr_fpr_sklearn_order(y_true, scores, threshold):
    """Returns (fpr, tpr), the order of sklearn.metrics.roc_curve, instead of (tpr, fpr)."""
    t = np.asarray(y_true).astype(bool)
    p = np.asarray(scores) >= threshold
    return float((p & ~t).sum() / (~t).sum()), float((p & t).sum() / t.sum())


@wrong("14.3", "tpr_fpr")
def tpr_fpr_sorts_in_place(y_true, scores, threshold):
    """Sorts scores and labels in place (by score) before counting: the caller's arrays move."""
    s, y = np.asarray(scores), np.asarray(y_true)
    order = np.argsort(s, kind="stable")
    s[:] = s[order]
    y[:] = y[order]
    t = y.astype(bool)
    p = s >= threshold
    return float((p & t).sum() / t.sum()), float((p & ~t).sum() / (~t).sum())


@wrong("14.4", "roc_curve")
def roc_curve_sorts_in_place(y_true, scores):
    """Sorts the caller's scores and labels in place (descending) to build the curve."""
    s, y = np.asarray(scores), np.asarray(y_true)
    order = np.argsort(-s, kind="stable")
    s[:] = s[order]
    y[:] = y[order]
    tps, fps = np.cumsum(y), np.cumsum(1 - y)
    last = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tps, fps = np.r_[0, tps[last]].astype(float), np.r_[0, fps[last]].astype(float)
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, s[last]]


@wrong("14.4", "auc_trapezoid")
def auc_trapezoid_no_half(x, y):
    """Forgets the 1/2 of the trapezoid: width times the SUM of the two heights."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1])))


@wrong("14.4", "roc_auc_rank")
def roc_auc_rank_descending(y_true, scores):
    """Ranks from the largest score (rank 1 = highest): returns 1 - AUC."""
    from scipy.stats import rankdata
    t = np.asarray(y_true).astype(bool)
    r = rankdata(-np.asarray(scores, float))
    n_pos, n_neg = t.sum(), (~t).sum()
    return float((r[t].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@wrong("14.4", "roc_auc_rank")
def roc_auc_rank_sorts_in_place(y_true, scores):
    """Sorts scores and labels in place before ranking: right value, caller's arrays reordered."""
    from scipy.stats import rankdata
    s, y = np.asarray(scores), np.asarray(y_true)
    order = np.argsort(s, kind="stable")
    s[:] = s[order]
    y[:] = y[order]
    t = y.astype(bool)
    r = rankdata(s)
    n_pos, n_neg = t.sum(), (~t).sum()
    return float((r[t].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@wrong("14.5", "box_iou")
def box_iou_no_zero_union_guard(a, b, inclusive=False):
    """Divides by the union unconditionally: two zero-area boxes raise ZeroDivisionError."""
    e = 1.0 if inclusive else 0.0
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]) + e)
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]) + e)
    inter = iw * ih
    union = ((a[2] - a[0] + e) * (a[3] - a[1] + e) + (b[2] - b[0] + e) * (b[3] - b[1] + e)
             - inter)
    return float(inter / union)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_nan_on_zero_union(A, B):
    """Plain inter / union: a zero union gives nan (with a RuntimeWarning)."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])
    wh = np.clip(np.minimum(A[:, None, 2:], B[None, :, 2:])
                 - np.maximum(A[:, None, :2], B[None, :, :2]), 0, None)
    inter = wh[..., 0] * wh[..., 1]
    with np.errstate(invalid="ignore"):
        return inter / (area_a[:, None] + area_b[None, :] - inter)


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_keeps_input_dtype(A, B):
    """Never converts to float64: float32 boxes give a float32 matrix, int boxes int zeros."""
    A, B = np.asarray(A), np.asarray(B)
    area_a = (A[:, 2] - A[:, 0]) * (A[:, 3] - A[:, 1])
    area_b = (B[:, 2] - B[:, 0]) * (B[:, 3] - B[:, 1])
    wh = np.clip(np.minimum(A[:, None, 2:], B[None, :, 2:])
                 - np.maximum(A[:, None, :2], B[None, :, :2]), 0, None)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    out = np.zeros_like(inter)
    np.divide(inter, union, out=out, where=union > 0, casting="unsafe")
    return out


@wrong("14.5", "box_iou_matrix")
def box_iou_matrix_widths_in_place(A, B):
    """Turns x2, y2 into widths in place (A[:, 2:] -= A[:, :2]): the caller's boxes change."""
    A, B = np.asarray(A), np.asarray(B)
    A[:, 2:] -= A[:, :2]                     # now (x1, y1, w, h)
    if B is not A:
        B[:, 2:] -= B[:, :2]
    A, B = A.astype(float), B.astype(float)
    area_a, area_b = A[:, 2] * A[:, 3], B[:, 2] * B[:, 3]
    wh = np.clip(np.minimum(A[:, None, :2] + A[:, None, 2:], B[None, :, :2] + B[None, :, 2:])
                 - np.maximum(A[:, None, :2], B[None, :, :2]), 0, None)
    inter = wh[..., 0] * wh[..., 1]
    union = area_a[:, None] + area_b[None, :] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
