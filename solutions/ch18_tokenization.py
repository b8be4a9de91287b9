# Generated from chapters/ch18_tokenization.ipynb by `make generate`: do not edit.

import json
import math
from collections import Counter

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
from torch.nn.utils.rnn import pad_sequence

from workbook.checks import Check

np.random.seed(0)
_ = torch.manual_seed(0)


def _merge_pair(symbols, pair):
    """Replace each occurrence of pair in symbols by the joined symbol, left to right."""
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == pair[0] and symbols[i + 1] == pair[1]:
            out.append(symbols[i] + symbols[i + 1])
            i += 2  # non-overlapping: "a a a" -> "aa a"
        else:
            out.append(symbols[i])
            i += 1
    return out


def train_bpe(corpus, num_merges):
    word_freq = Counter(word for line in corpus for word in line.split())
    # Work on the distinct words, each a list of symbols, weighted by its frequency.
    words = [(list(word), freq) for word, freq in word_freq.items()]
    merges = []
    for _ in range(num_merges):
        counts = Counter()
        for symbols, freq in words:
            for pair in zip(symbols, symbols[1:]):  # every adjacent pair, overlaps included
                counts[pair] += freq
        if not counts:  # every word is a single symbol
            break
        # Highest count first; on a tie the lexicographically smallest pair.
        best = min(counts, key=lambda pair: (-counts[pair], pair))
        merges.append(best)
        words = [(_merge_pair(symbols, best), freq) for symbols, freq in words]
    return merges


def bpe_encode(word, merges):
    rank = {}
    for r, pair in enumerate(merges):
        rank.setdefault(tuple(pair), r)  # a repeated merge keeps its first rank
    symbols = list(word)
    while len(symbols) > 1:
        # The adjacent pair of LOWEST RANK, not the most frequent one in this word.
        best = min(zip(symbols, symbols[1:]), key=lambda pair: rank.get(pair, math.inf))
        if best not in rank:
            break  # no adjacent pair is a merge
        symbols = _merge_pair(symbols, best)
    return symbols


def wordpiece_tokenize(word, vocab, unk_token="[UNK]", prefix="##", max_chars=100):
    if len(word) > max_chars:  # characters, not bytes
        return [unk_token]
    tokens, start = [], 0
    while start < len(word):
        for end in range(len(word), start, -1):  # LONGEST candidate first
            piece = word[start:end] if start == 0 else prefix + word[start:end]
            if piece in vocab:
                break
        else:  # no piece matches at `start`
            return [unk_token]  # the whole word is unknown
        tokens.append(piece)
        start = end
    return tokens


def embedding_forward(ids, W):
    ids = np.asarray(ids)
    # NumPy would wrap -1 to the last row; an embedding must refuse it like F.embedding.
    if ids.size and (ids.min() < 0 or ids.max() >= W.shape[0]):
        raise IndexError(f"ids must lie in [0, {W.shape[0]}), got [{ids.min()}, {ids.max()}]")
    return W[ids]  # shape ids.shape + (d,)


def embedding_backward(ids, grad_out, num_embeddings):
    ids = np.asarray(ids)
    dW = np.zeros((num_embeddings, grad_out.shape[-1]), dtype=grad_out.dtype)
    # Unbuffered scatter-add: every occurrence of a repeated id adds its gradient.
    # (dW[ids] += grad_out would keep only one of them.)
    np.add.at(dW, ids, grad_out)
    return dW


def pad_batch(seqs, pad_id=0, side="right"):
    if side not in ("right", "left"):
        raise ValueError(f"side must be 'right' or 'left', got {side!r}")
    lengths = torch.tensor([len(s) for s in seqs])
    L = int(lengths.max())
    positions = torch.arange(L)
    if side == "right":
        mask = positions < lengths[:, None]  # real tokens first
    else:
        mask = positions >= L - lengths[:, None]  # real tokens last
    ids = torch.full((len(seqs), L), pad_id, dtype=seqs[0].dtype, device=seqs[0].device)
    # The True positions of the mask, read row by row, are exactly the concatenated tokens.
    ids[mask] = torch.cat(list(seqs))
    return ids, mask


def masked_mean_pool(h, mask):
    m = mask.unsqueeze(-1)  # (B, L, 1): broadcast over d, not L
    # where, not h * m: a NaN or inf at a padded position must not leak (0 * NaN = NaN).
    total = torch.where(m, h, torch.zeros((), dtype=h.dtype)).sum(dim=1)  # (B, d)
    count = m.sum(dim=1).clamp(min=1)  # (B, 1); an empty row divides 0 by 1
    return total / count  # int count keeps h's dtype
