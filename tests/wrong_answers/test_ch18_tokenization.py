"""Plausible wrong answers for chapter 18; each must make its item's tests cell raise."""

import math
from collections import Counter

import numpy as np
import torch
from harness import chapter_suite, wrong


def _merge(symbols, pair):
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == tuple(pair):
            out.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def _train(corpus, num_merges, count_pairs=None, pick=None, merge=_merge, words=None):
    """A BPE trainer with pluggable pieces, so each wrong answer changes exactly one."""
    freq = words if words is not None else Counter(w for line in corpus for w in line.split())
    segs = [(list(w), f) for w, f in freq.items()]
    merges = []
    for _ in range(num_merges):
        counts = Counter()
        for symbols, f in segs:
            for pair, n in (count_pairs or _overlapping)(symbols).items():
                counts[pair] += n * f
        if not counts:
            break
        best = (pick or (lambda c: min(c, key=lambda p: (-c[p], p))))(counts)
        merges.append(best)
        segs = [(merge(symbols, best), f) for symbols, f in segs]
    return merges


def _overlapping(symbols):
    return Counter(zip(symbols, symbols[1:]))


# ---------------------------------------------------------------- 18.1
@wrong("18.1", "train_bpe")
def bpe_pairs_not_overlapping(corpus, num_merges):
    """Counts pairs with str.count on the space-joined symbols: 'a a a' holds one 'a a', not two."""

    def count_pairs(symbols):
        text = " ".join(symbols)
        return Counter({p: text.count(f"{p[0]} {p[1]}") for p in set(zip(symbols, symbols[1:]))})

    return _train(corpus, num_merges, count_pairs=count_pairs)


@wrong("18.1", "train_bpe")
def bpe_tie_first_seen(corpus, num_merges):
    """Breaks ties with max(counts, key=counts.get): the pair counted first wins."""
    return _train(corpus, num_merges, pick=lambda c: max(c, key=c.get))


@wrong("18.1", "train_bpe")
def bpe_tie_largest(corpus, num_merges):
    """Breaks ties towards the lexicographically largest pair (max over (count, pair))."""
    return _train(corpus, num_merges, pick=lambda c: max(c, key=lambda p: (c[p], p)))


@wrong("18.1", "train_bpe")
def bpe_ignores_frequency(corpus, num_merges):
    """Counts each distinct word once: the word frequencies are lost (a set of words)."""
    words = {w: 1 for line in corpus for w in line.split()}
    return _train(corpus, num_merges, words=words)


@wrong("18.1", "train_bpe")
def bpe_no_recount(corpus, num_merges):
    """Counts the character pairs once and returns the top num_merges: no recount after merging."""
    counts = Counter()
    for w, f in Counter(w for line in corpus for w in line.split()).items():
        for pair in zip(w, w[1:]):
            counts[pair] += f
    return sorted(counts, key=lambda p: (-counts[p], p))[:num_merges]


@wrong("18.1", "train_bpe")
def bpe_string_replace(corpus, num_merges):
    """Merges with ' '.join(symbols).replace('x y', 'xy'): fires across symbol boundaries."""

    def merge(symbols, pair):
        return " ".join(symbols).replace(f"{pair[0]} {pair[1]}", pair[0] + pair[1]).split(" ")

    return _train(corpus, num_merges, merge=merge)


@wrong("18.1", "train_bpe")
def bpe_end_of_word_marker(corpus, num_merges):
    """Appends Sennrich's '</w>' to the last character of every word (another convention)."""
    freq = Counter(w for line in corpus for w in line.split())
    segs = [(list(w[:-1]) + [w[-1] + "</w>"], f) for w, f in freq.items()]
    merges = []
    for _ in range(num_merges):
        counts = Counter()
        for symbols, f in segs:
            for pair in zip(symbols, symbols[1:]):
                counts[pair] += f
        if not counts:
            break
        best = min(counts, key=lambda p: (-counts[p], p))
        merges.append(best)
        segs = [(_merge(symbols, best), f) for symbols, f in segs]
    return merges


@wrong("18.1", "train_bpe")
def bpe_tie_by_creation_order(corpus, num_merges):
    """Breaks ties by token ids (characters in code-point order, merged tokens by creation), as
    the tokenizers library does, instead of the lexicographically smallest pair."""
    freq = Counter(w for line in corpus for w in line.split())
    ids = {c: i for i, c in enumerate(sorted({c for w in freq for c in w}))}
    segs = [(list(w), f) for w, f in freq.items()]
    merges = []
    for _ in range(num_merges):
        counts = Counter()
        for symbols, f in segs:
            for pair in zip(symbols, symbols[1:]):
                counts[pair] += f
        if not counts:
            break
        best = min(counts, key=lambda p: (-counts[p], ids[p[0]], ids[p[1]]))
        merges.append(best)
        ids.setdefault(best[0] + best[1], len(ids))
        segs = [(_merge(symbols, best), f) for symbols, f in segs]
    return merges


@wrong("18.1", "train_bpe")
def bpe_split_on_space_only(corpus, num_merges):
    """Splits lines with line.split(' '): tabs and newlines stay inside 'words', '' is a word."""
    words = Counter(w for line in corpus for w in line.split(" "))
    return _train(corpus, num_merges, words=words)


def _rank(merges):
    return {tuple(p): r for r, p in reversed(list(enumerate(merges)))}


@wrong("18.1", "bpe_encode")
def encode_frequency_order(word, merges):
    """Merges the known pair occurring MOST OFTEN in the word first, not the lowest rank."""
    rank = _rank(merges)
    symbols = list(word)
    while True:
        counts = Counter(p for p in zip(symbols, symbols[1:]) if p in rank)
        if not counts:
            return symbols
        symbols = _merge(symbols, min(counts, key=lambda p: (-counts[p], rank[p])))


@wrong("18.1", "bpe_encode")
def encode_first_occurrence_only(word, merges):
    """One pass over the merges in rank order, merging only the FIRST occurrence of each."""
    symbols = list(word)
    for a, b in merges:
        for i in range(len(symbols) - 1):
            if symbols[i] == a and symbols[i + 1] == b:
                symbols[i : i + 2] = [a + b]
                break
    return symbols


def _merge_from_right(symbols, pair):
    out, i = [], len(symbols) - 1
    while i >= 0:
        if i > 0 and (symbols[i - 1], symbols[i]) == tuple(pair):
            out.append(symbols[i - 1] + symbols[i])
            i -= 2
        else:
            out.append(symbols[i])
            i -= 1
    return out[::-1]


@wrong("18.1", "bpe_encode")
def encode_right_to_left(word, merges):
    """Merges overlapping occurrences from the right: 'aaa' becomes 'a aa' instead of 'aa a'."""
    rank = _rank(merges)
    symbols = list(word)
    while len(symbols) > 1:
        best = min(zip(symbols, symbols[1:]), key=lambda p: rank.get(p, math.inf))
        if best not in rank:
            return symbols
        symbols = _merge_from_right(symbols, best)
    return symbols


@wrong("18.1", "bpe_encode")
def encode_highest_rank_first(word, merges):
    """Applies the merges from the last learned to the first (reverse rank order)."""
    symbols = list(word)
    changed = True
    while changed:
        changed = False
        for pair in reversed(merges):
            merged = _merge(symbols, pair)
            if merged != symbols:
                symbols, changed = merged, True
                break
    return symbols


@wrong("18.1", "bpe_encode")
def encode_longest_vocab_match(word, merges):
    """Greedy longest match over the vocabulary the merges build (WordPiece-style), not by rank."""
    vocab = set(word) | {a + b for a, b in merges}
    tokens, start = [], 0
    while start < len(word):
        end = next(e for e in range(len(word), start, -1) if word[start:e] in vocab)
        tokens.append(word[start:end])
        start = end
    return tokens


@wrong("18.1", "bpe_encode")
def encode_drops_unknown(word, merges):
    """Drops characters that no merge uses (as the library does without an unk token)."""
    known = {c for pair in merges for c in "".join(pair)}
    rank = _rank(merges)
    symbols = [c for c in word if c in known]
    while len(symbols) > 1:
        best = min(zip(symbols, symbols[1:]), key=lambda p: rank.get(p, math.inf))
        if best not in rank:
            break
        symbols = _merge(symbols, best)
    return symbols


# ---------------------------------------------------------------- 18.2
def _wordpiece(
    word,
    vocab,
    unk_token="[UNK]",
    prefix="##",
    max_chars=100,
    longest=True,
    prefix_first=False,
    prefix_rest=True,
    partial_unk=False,
    too_long=None,
):
    if (too_long or (lambda w: len(w) > max_chars))(word):
        return [unk_token]
    tokens, start = [], 0
    while start < len(word):
        ends = range(len(word), start, -1) if longest else range(start + 1, len(word) + 1)
        for end in ends:
            use_prefix = prefix_rest if start > 0 else prefix_first
            piece = (prefix if use_prefix else "") + word[start:end]
            if piece in vocab:
                break
        else:
            if not partial_unk:
                return [unk_token]
            tokens.append(unk_token)
            start += 1
            continue
        tokens.append(piece)
        start = end
    return tokens


@wrong("18.2", "wordpiece_tokenize")
def wordpiece_shortest_match(word, vocab, unk_token="[UNK]", prefix="##", max_chars=100):
    """Tries the SHORTEST piece first (end grows from start + 1)."""
    return _wordpiece(word, vocab, unk_token, prefix, max_chars, longest=False)


@wrong("18.2", "wordpiece_tokenize")
def wordpiece_no_prefix(word, vocab, unk_token="[UNK]", prefix="##", max_chars=100):
    """Forgets the ## on continuation pieces: looks up 'able' instead of '##able'."""
    return _wordpiece(word, vocab, unk_token, prefix, max_chars, prefix_rest=False)


@wrong("18.2", "wordpiece_tokenize")
def wordpiece_prefix_everywhere(word, vocab, unk_token="[UNK]", prefix="##", max_chars=100):
    """Puts the ## on the first piece too."""
    return _wordpiece(word, vocab, unk_token, prefix, max_chars, prefix_first=True)


@wrong("18.2", "wordpiece_tokenize")
def wordpiece_partial_unk(word, vocab, unk_token="[UNK]", prefix="##", max_chars=100):
    """Emits [UNK] for the character that fails and carries on, instead of the whole word."""
    return _wordpiece(word, vocab, unk_token, prefix, max_chars, partial_unk=True)


@wrong("18.2", "wordpiece_tokenize")
def wordpiece_max_chars_inclusive(word, vocab, unk_token="[UNK]", prefix="##", max_chars=100):
    """Off by one: a word of exactly max_chars characters becomes [UNK] (>= instead of >)."""
    return _wordpiece(
        word, vocab, unk_token, prefix, max_chars, too_long=lambda w: len(w) >= max_chars
    )


@wrong("18.2", "wordpiece_tokenize")
def wordpiece_max_chars_bytes(word, vocab, unk_token="[UNK]", prefix="##", max_chars=100):
    """Counts max_chars in UTF-8 bytes: 'naïve' is 6 long, not 5."""
    return _wordpiece(
        word, vocab, unk_token, prefix, max_chars, too_long=lambda w: len(w.encode()) > max_chars
    )


@wrong("18.2", "wordpiece_tokenize")
def wordpiece_hardcoded_prefix(word, vocab, unk_token="[UNK]", prefix="##", max_chars=100):
    """Hard-codes '##' and '[UNK]', ignoring the prefix and unk_token arguments."""
    return _wordpiece(word, vocab, "[UNK]", "##", max_chars)


@wrong("18.2", "wordpiece_tokenize")
def wordpiece_empty_is_unk(word, vocab, unk_token="[UNK]", prefix="##", max_chars=100):
    """Treats the empty word as unknown ([UNK]) instead of giving no token."""
    return [unk_token] if not word else _wordpiece(word, vocab, unk_token, prefix, max_chars)


# ---------------------------------------------------------------- 18.3
@wrong("18.3", "embedding_backward")
def embedding_backward_assign(ids, grad_out, num_embeddings):
    """dW[ids] = grad_out: fancy-index assignment keeps only one gradient per repeated id."""
    dW = np.zeros((num_embeddings, grad_out.shape[-1]), dtype=grad_out.dtype)
    dW[np.asarray(ids)] = grad_out
    return dW


@wrong("18.3", "embedding_backward")
def embedding_backward_plus_equals(ids, grad_out, num_embeddings):
    """dW[ids] += grad_out: looks like accumulation, but NumPy buffers it (repeats lost)."""
    dW = np.zeros((num_embeddings, grad_out.shape[-1]), dtype=grad_out.dtype)
    dW[np.asarray(ids)] += grad_out
    return dW


@wrong("18.3", "embedding_backward")
def embedding_backward_max_id(ids, grad_out, num_embeddings):
    """Sizes dW by the largest id seen (ids.max() + 1) instead of num_embeddings."""
    ids = np.asarray(ids)
    dW = np.zeros((int(ids.max()) + 1 if ids.size else 0, grad_out.shape[-1]), dtype=grad_out.dtype)
    np.add.at(dW, ids, grad_out)
    return dW


@wrong("18.3", "embedding_backward")
def embedding_backward_float64(ids, grad_out, num_embeddings):
    """Accumulates in a float64 buffer always: float32 gradients come back float64."""
    dW = np.zeros((num_embeddings, grad_out.shape[-1]))
    np.add.at(dW, np.asarray(ids), grad_out)
    return dW


@wrong("18.3", "embedding_backward")
def embedding_backward_one_hot_flat(ids, grad_out, num_embeddings):
    """One-hot matmul with grad_out reshaped to (-1, d) but the ids not flattened the same way."""
    ids = np.asarray(ids)
    d = grad_out.shape[-1]
    one_hot = np.eye(num_embeddings, dtype=grad_out.dtype)[ids.T.reshape(-1)]
    return one_hot.T @ grad_out.reshape(-1, d)


@wrong("18.3", "embedding_forward")
def embedding_forward_wraps_negative(ids, W):
    """Plain W[ids]: an id of -1 silently reads the last row instead of raising IndexError."""
    return W[np.asarray(ids)]


@wrong("18.3", "embedding_forward")
def embedding_forward_flat(ids, W):
    """Flattens the ids: (B, L) ids give (B*L, d) instead of (B, L, d)."""
    ids = np.asarray(ids)
    if ids.size and (ids.min() < 0 or ids.max() >= W.shape[0]):
        raise IndexError("id out of range")
    return W[ids.reshape(-1)]


@wrong("18.3", "embedding_forward")
def embedding_forward_one_hot_float32(ids, W):
    """one_hot(ids) @ W with a float32 one-hot: float64 tables come back float32."""
    ids = np.asarray(ids)
    if ids.size and (ids.min() < 0 or ids.max() >= W.shape[0]):
        raise IndexError("id out of range")
    return np.eye(W.shape[0], dtype=np.float32)[ids] @ W.astype(np.float32)


# ---------------------------------------------------------------- 18.4
def _pad(seqs, pad_id=0, side="right", mask_from_ids=False, dtype=None):
    if side not in ("right", "left"):
        raise ValueError(side)
    L = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), L), pad_id, dtype=dtype or seqs[0].dtype)
    mask = torch.zeros(len(seqs), L, dtype=torch.bool)
    for b, s in enumerate(seqs):
        start = 0 if side == "right" else L - len(s)
        ids[b, start : start + len(s)] = s
        mask[b, start : start + len(s)] = True
    return (ids, ids != pad_id) if mask_from_ids else (ids, mask)


@wrong("18.4", "pad_batch")
def pad_mask_from_ids(seqs, pad_id=0, side="right"):
    """Builds the mask as ids != pad_id: real tokens equal to the pad id are masked out."""
    return _pad(seqs, pad_id, side, mask_from_ids=True)


@wrong("18.4", "pad_batch")
def pad_ignores_side(seqs, pad_id=0, side="right"):
    """Always pads on the right, whatever side says."""
    if side not in ("right", "left"):
        raise ValueError(side)
    return _pad(seqs, pad_id, "right")


@wrong("18.4", "pad_batch")
def pad_left_negative_slice(seqs, pad_id=0, side="right"):
    """Left padding with ids[b, -n:] = s: for an empty sequence -0: is the whole row."""
    if side != "left":
        return _pad(seqs, pad_id, side)
    L = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), L), pad_id, dtype=seqs[0].dtype)
    mask = torch.zeros(len(seqs), L, dtype=torch.bool)
    for b, s in enumerate(seqs):
        ids[b, -len(s) :] = s
        mask[b, -len(s) :] = True
    return ids, mask


@wrong("18.4", "pad_batch")
def pad_left_reversed(seqs, pad_id=0, side="right"):
    """Left padding by flipping the right-padded batch: the tokens come out in reverse order."""
    ids, mask = _pad(seqs, pad_id, "right" if side == "left" else side)
    return (ids.flip(1), mask.flip(1)) if side == "left" else (ids, mask)


@wrong("18.4", "pad_batch")
def pad_unknown_side_is_right(seqs, pad_id=0, side="right"):
    """Treats any side other than 'left' as 'right' instead of raising ValueError."""
    return _pad(seqs, pad_id, "left" if side == "left" else "right")


@wrong("18.4", "pad_batch")
def pad_int64_always(seqs, pad_id=0, side="right"):
    """torch.full((B, L), pad_id) without a dtype: int32 sequences come back int64."""
    return _pad(seqs, pad_id, side, dtype=torch.int64)


@wrong("18.4", "masked_mean_pool")
def pool_divides_by_L(h, mask):
    """Sums the real positions but divides by the padded length L."""
    m = mask.unsqueeze(-1)
    return torch.where(m, h, torch.zeros((), dtype=h.dtype)).sum(1) / h.shape[1]


@wrong("18.4", "masked_mean_pool")
def pool_nan_on_empty_row(h, mask):
    """total / count without a guard: a row with no real token is 0/0 = NaN."""
    m = mask.unsqueeze(-1)
    return torch.where(m, h, torch.zeros((), dtype=h.dtype)).sum(1) / m.sum(1)


@wrong("18.4", "masked_mean_pool")
def pool_nan_to_num(h, mask):
    """(h * m).sum / count, then nan_to_num for an empty row: output right, gradient NaN."""
    m = mask.unsqueeze(-1).to(h.dtype)
    return torch.nan_to_num((h * m).sum(1) / m.sum(1))


@wrong("18.4", "masked_mean_pool")
def pool_multiply_by_mask(h, mask):
    """h * mask instead of where: a NaN or inf at a padded position leaks (0 * NaN = NaN)."""
    m = mask.unsqueeze(-1).to(h.dtype)
    return (h * m).sum(1) / m.sum(1).clamp(min=1)


@wrong("18.4", "masked_mean_pool")
def pool_mask_wrong_axis(h, mask):
    """Broadcasts the (B, L) mask as (B, 1, L) against (B, L, d): silently wrong when L == d."""
    m = mask.unsqueeze(1)
    total = torch.where(m, h, torch.zeros((), dtype=h.dtype)).sum(1)
    return total / mask.sum(1, keepdim=True).clamp(min=1)


@wrong("18.4", "masked_mean_pool")
def pool_float64_mask(h, mask):
    """Turns the mask into float64 for the arithmetic: float32 states come back float64."""
    m = mask.unsqueeze(-1).double()
    return torch.where(m.bool(), h, 0.0).sum(1) / m.sum(1).clamp(min=1)


@wrong("18.4", "masked_mean_pool")
def pool_ignores_mask(h, mask):
    """h.mean(dim=1): averages the padding too."""
    return h.mean(dim=1)


test_stub, test_wrong_answer, test_coverage = chapter_suite(__name__)
