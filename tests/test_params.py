"""LSTMParams and RNNParams: value equality, hashing, and the promise that they are frozen."""

import numpy as np
import pytest

import lstm
from lstm.vanilla import RNNParams, init_rnn_params


def test_lstm_params_compare_by_value():
    params = lstm.init_params(3, 4, seed=0)
    same = lstm.unfuse(*lstm.fuse(params))  # new arrays, same numbers
    assert params == same and not params != same
    assert params != lstm.init_params(3, 4, seed=1)
    assert params != lstm.init_params(3, 5, seed=0)
    assert params != params.astype(np.float32)  # same shapes, other dtype
    assert params != "params"


def test_lstm_params_are_hashable_consistently_with_equality():
    params = lstm.init_params(3, 4, seed=0)
    same = lstm.unfuse(*lstm.fuse(params))
    assert hash(params) == hash(same)
    assert len({params, same, lstm.init_params(3, 4, seed=1)}) == 2


def test_rnn_params_compare_by_value_and_hash():
    params = init_rnn_params(3, 4, seed=0)
    same = RNNParams(params.W.copy(), params.U.copy(), params.b.copy())
    assert params == same and hash(params) == hash(same)
    assert params != init_rnn_params(3, 4, seed=1)
    assert params != RNNParams(params.W.astype(np.float32), params.U, params.b)
    assert len({params, same}) == 1


@pytest.mark.parametrize("group", ["W", "U", "b"])
def test_lstm_params_differing_in_one_number_are_unequal(group):
    params = lstm.init_params(2, 3, seed=0)
    arrays = {g: {k: v.copy() for k, v in getattr(params, g).items()} for g in ("W", "U", "b")}
    arrays[group]["o"].flat[-1] += 1e-12
    assert params != lstm.LSTMParams(**arrays)
