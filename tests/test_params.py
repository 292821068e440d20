"""LSTMParams and RNNParams: value equality, hashing, and the promise that they are frozen."""

import numpy as np
import pytest

import lstm
from lstm.vanilla import RNNParams, init_rnn_params


def test_lstm_params_compare_by_value():
    params = lstm.init_params(3, 4, seed=0)
    same = lstm.unfuse(*lstm.fuse(params))  # new arrays, same numbers
    assert params == same
    assert not params != same  # noqa: SIM202 - __ne__ is derived from __eq__; check it too
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


def test_lstm_params_do_not_share_the_callers_arrays():
    W = {k: np.ones((2, 3)) for k in lstm.GATES}
    U = {k: np.ones((2, 2)) for k in lstm.GATES}
    b = {k: np.ones(2) for k in lstm.GATES}
    params = lstm.LSTMParams(W=W, U=U, b=b)
    W["f"][:] = 7.0
    U["i"][0, 0] = 7.0
    b["o"] += 7.0
    W["g"] = np.zeros((2, 3))  # replacing an entry of the caller's dict
    for group in (params.W, params.U, params.b):
        for array in group.values():
            assert np.all(array == 1.0)


def test_lstm_params_arrays_are_read_only():
    params = lstm.init_params(3, 4, seed=0)
    for group in (params.W, params.U, params.b):
        for k, array in group.items():
            assert not array.flags.writeable, k
            with pytest.raises(ValueError, match="read-only"):
                array[0] = 1.0


def test_lstm_params_dicts_cannot_be_replaced_or_changed():
    params = lstm.init_params(3, 4, seed=0)
    with pytest.raises(AttributeError):  # dataclasses.FrozenInstanceError
        params.W = {k: np.zeros((4, 3)) for k in lstm.GATES}
    with pytest.raises(TypeError):
        params.b["f"] = np.zeros(4)
    with pytest.raises(TypeError):
        del params.U["g"]


def test_lstm_params_accept_another_params_mappings():
    params = lstm.init_params(3, 4, seed=0)
    W_f = np.full((4, 3), 0.5)
    changed = lstm.LSTMParams(W={**params.W, "f": W_f}, U=params.U, b=params.b)
    assert np.array_equal(changed.W["f"], W_f) and np.array_equal(changed.W["i"], params.W["i"])


def test_lstm_params_survive_copy_and_pickle():
    import copy
    import pickle

    params = lstm.init_params(3, 4, seed=0)
    for clone in (copy.copy(params), copy.deepcopy(params), pickle.loads(pickle.dumps(params))):
        assert clone == params
        assert not clone.W["f"].flags.writeable


def test_zero_params_are_writable_and_independent():
    first, second = lstm.zero_params(2, 1), lstm.zero_params(2, 1)
    first.W["i"][0] = [0.0, 10.0]
    first.b["f"][:] = 1.0
    assert np.array_equal(first.W["i"], [[0.0, 10.0]]) and first.b["f"][0] == 1.0
    assert not second.W["i"].any() and not second.b["f"].any()


def test_rnn_params_do_not_share_the_callers_arrays_and_are_read_only():
    W, U, b = np.ones((2, 3)), np.ones((2, 2)), np.ones(2)
    params = RNNParams(W, U, b)
    W[:] = 7.0
    assert np.all(params.W == 1.0)
    with pytest.raises(ValueError, match="read-only"):
        params.U[0, 0] = 1.0
    with pytest.raises(AttributeError):
        params.b = np.zeros(2)
