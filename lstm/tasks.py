"""Two tasks of Hochreiter & Schmidhuber (1997), as deterministic generators.

Experiment 1, the embedded Reber grammar (their Section 5.1): read a string one
symbol at a time and predict the next symbol at every step. Experiment 4, the
adding problem (their Section 5.4): read (value, marker) pairs and output, at the
end, 0.5 + (X1 + X2) / 4 for the two marked values.

Randomness comes only from the `rng` (a np.random.Generator) or `seed` given.
Batches use the book's layout: X (T, d, B), one column per example.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import check_size

REBER_SYMBOLS = "BTSXPVE"
"""The seven symbols, in the order of the one-hot coordinates (input and output)."""

# The Reber grammar as a finite automaton: state -> ((symbol, next state), ...).
# State 0 is the start; "B" leads to state 1; "E" from state 6 ends the string.
# Each state has at most two edges, taken with probability 0.5 each.
REBER_EDGES: dict[int, tuple[tuple[str, int], ...]] = {
    0: (("B", 1),),
    1: (("T", 2), ("P", 3)),
    2: (("S", 2), ("X", 4)),
    3: (("T", 3), ("V", 5)),
    4: (("X", 3), ("S", 6)),
    5: (("P", 4), ("V", 6)),
    6: (("E", 7),),
}
REBER_END = 7


def check_rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy Generator (np.random.default_rng(seed)), got {type(rng).__name__}"
        )
    return rng


def reber_string(rng: np.random.Generator) -> str:
    """One string of the (plain) Reber grammar, e.g. "BTSSXXTVVE": walk the automaton from B to E."""
    rng = check_rng(rng)
    state, symbols = 0, []
    while state != REBER_END:
        edges = REBER_EDGES[state]
        symbol, state = edges[rng.integers(len(edges))] if len(edges) > 1 else edges[0]
        symbols.append(symbol)
    return "".join(symbols)


def embedded_reber_string(rng: np.random.Generator) -> str:
    """B, then T or P, then a Reber string, then the same T or P again, then E: e.g. "BTBPVVETE".

    The symbol before last repeats the second one; predicting it needs a memory of at
    least 7 steps (the shortest inner string, "BTXSE" or "BPVVE", has 5 symbols).
    """
    rng = check_rng(rng)
    branch = "TP"[rng.integers(2)]
    return "B" + branch + reber_string(rng) + branch + "E"


def reber_accepts(string: str) -> bool:
    """True when the automaton of the Reber grammar reads `string` from start to end."""
    state = 0
    for symbol in string:
        moves = dict(REBER_EDGES.get(state, ()))
        if symbol not in moves:
            return False
        state = moves[symbol]
    return state == REBER_END


def embedded_reber_accepts(string: str) -> bool:
    """True for "B" + branch + (a Reber string) + the same branch + "E", branch T or P."""
    return (
        len(string) >= 9
        and string[0] == "B"
        and string[1] in "TP"
        and string[-2] == string[1]
        and string[-1] == "E"
        and reber_accepts(string[2:-2])
    )


def embedded_reber_legal_next(string: str) -> list[str]:
    """For each position t < len - 1, the set of symbols the grammar allows after string[:t + 1].

    Returned as strings of allowed symbols, one per prediction, e.g. "TP" after the first B.
    This is what the paper's success criterion asks a network to rank highest.
    """
    if not embedded_reber_accepts(string):
        raise ValueError(f"{string!r} is not a string of the embedded Reber grammar")
    legal = ["TP", "B", "TP"]  # after the outer B, after the branch symbol, after the inner B
    state = 1  # the inner automaton after its B
    for symbol in string[3:-2]:
        state = dict(REBER_EDGES[state])[symbol]
        if state == REBER_END:
            legal.append(string[1])  # the inner E: only the remembered branch symbol may follow
        else:
            legal.append("".join(s for s, _ in REBER_EDGES[state]))
    legal.append("E")  # after the second branch symbol
    return legal


def one_hot(symbols: str) -> np.ndarray:
    """(len, 7) one-hot rows in REBER_SYMBOLS order."""
    codes = np.array([REBER_SYMBOLS.index(s) for s in symbols])
    return np.eye(len(REBER_SYMBOLS))[codes]


@dataclass(frozen=True)
class ReberBatch:
    """B strings padded at the end to the longest, T = longest length - 1 prediction steps.

    X: (T, 7, B) one-hot input symbols (zeros after an example's end).
    labels: (T, B) int, the index of the next symbol (0 where masked out).
    mask: (T, B) bool, True where a prediction is scored.
    legal: (T, 7, B) bool, the next symbols the grammar allows (all False where masked out).
    strings: the B strings.
    """

    X: np.ndarray
    labels: np.ndarray
    mask: np.ndarray
    legal: np.ndarray
    strings: tuple[str, ...]


def reber_batch(strings: list[str] | tuple[str, ...]) -> ReberBatch:
    """Encode embedded Reber strings as a padded batch; predictions at steps past an end are masked.

    Padding at the end changes nothing before it: the LSTM reads left to right, and the
    masked steps get no loss, so no gradient flows back from them.
    """
    if len(strings) == 0:
        raise ValueError("strings is empty; expected at least one embedded Reber string")
    T = max(len(s) for s in strings) - 1
    B = len(strings)
    X = np.zeros((T, len(REBER_SYMBOLS), B))
    labels = np.zeros((T, B), dtype=np.int64)
    mask = np.zeros((T, B), dtype=bool)
    legal = np.zeros((T, len(REBER_SYMBOLS), B), dtype=bool)
    for b, string in enumerate(strings):
        allowed = embedded_reber_legal_next(string)  # raises on a string outside the grammar
        steps = len(string) - 1
        X[:steps, :, b] = one_hot(string[:-1])
        labels[:steps, b] = [REBER_SYMBOLS.index(s) for s in string[1:]]
        mask[:steps, b] = True
        for t, symbols in enumerate(allowed):
            legal[t, [REBER_SYMBOLS.index(s) for s in symbols], b] = True
    return ReberBatch(X, labels, mask, legal, tuple(strings))


def reber_all_correct(logits: np.ndarray, batch: ReberBatch) -> np.ndarray:
    """The paper's criterion per string: at every step, the output units of the allowed next
    symbols are the most active ones (if m symbols are allowed, they are the top m).

    logits: (T, 7, B), any monotone output (scores or probabilities). Returns (B,) bool.
    """
    if logits.shape != batch.legal.shape:
        raise ValueError(f"logits has shape {logits.shape}; expected {batch.legal.shape} (T, 7, B)")
    allowed_count = batch.legal.sum(axis=1)  # (T, B)
    lowest_allowed = np.where(batch.legal, logits, np.inf).min(axis=1)  # (T, B)
    highest_other = np.where(batch.legal, -np.inf, logits).max(axis=1)  # (T, B)
    step_ok = (lowest_allowed > highest_other) | (allowed_count == 0)
    return np.all(step_ok | ~batch.mask, axis=0)


@dataclass(frozen=True)
class AddingBatch:
    """B sequences of the adding problem, padded at the end to the longest.

    X: (T_max, 2, B): row 0 the values in [-1, 1], row 1 the markers (1.0 marked,
       -1.0 first and final pair, 0.0 otherwise); zeros after an example's end.
    targets: (B,) 0.5 + (X1 + X2) / 4.
    lengths: (B,) int, each sequence's length; the answer is read at step lengths - 1.
    marked: (2, B) int, the positions of X1 and X2.
    """

    X: np.ndarray
    targets: np.ndarray
    lengths: np.ndarray
    marked: np.ndarray


def adding_problem(min_length: int, batch_size: int, rng: np.random.Generator) -> AddingBatch:
    """The adding problem of Hochreiter & Schmidhuber (1997, Section 5.4), with T = min_length.

    Per sequence, as the paper defines it: a length drawn from T .. T + T/10 (integers,
    both ends included); values uniform in [-1, 1]; X1 is one of the first ten pairs;
    X2 is one of the first T/2 - 1 pairs still unmarked; markers 1.0 on X1 and X2,
    -1.0 on the first and the final pair unless marked, 0.0 elsewhere; when X1 falls on
    the first pair, X1 is set to zero. The paper says nothing of X2 on the first pair,
    so its value is kept. Target 0.5 + (X1 + X2) / 4; the minimal lag from X2 to the
    end is T/2 steps. A sequence is processed correctly if |output - target| < 0.04.
    """
    T = check_size(min_length, "min_length")
    if T < 20 or T % 2:
        raise ValueError(f"min_length must be an even integer >= 20 (X2 lies in the first T/2 - 1 "
                         f"pairs after X1 in the first ten), got {T}")
    B = check_size(batch_size, "batch_size")
    rng = check_rng(rng)
    lengths = rng.integers(T, T + T // 10 + 1, size=B)
    X = np.zeros((int(lengths.max()), 2, B))
    targets = np.empty(B)
    marked = np.empty((2, B), dtype=np.int64)
    for b, length in enumerate(lengths):
        values = rng.uniform(-1.0, 1.0, size=length)
        first = rng.integers(10)
        candidates = np.delete(np.arange(T // 2), first)  # the first T/2 - 1 unmarked pairs
        second = candidates[rng.integers(len(candidates))]
        if first == 0:
            values[0] = 0.0
        markers = np.zeros(length)
        markers[0] = markers[-1] = -1.0
        markers[[first, second]] = 1.0
        X[:length, 0, b] = values
        X[:length, 1, b] = markers
        targets[b] = 0.5 + (values[first] + values[second]) / 4.0
        marked[:, b] = first, second
    return AddingBatch(X, targets, lengths, marked)


ADDING_TOLERANCE = 0.04
"""The paper's criterion: a sequence is processed correctly if the absolute error at its end is below this."""
