"""plan_batches: every source once, padding-aware budget, sorted by length."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.mt.batching import padded_tokens, padding_ratio, plan_batches


@settings(max_examples=300, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=0, max_value=600), max_size=200),
    batch_tokens=st.integers(min_value=1, max_value=5000),
    max_sentences=st.integers(min_value=1, max_value=80),
)
def test_plan_properties(lengths: list[int], batch_tokens: int, max_sentences: int) -> None:
    batches = plan_batches(lengths, batch_tokens, max_sentences)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))  # every index exactly once
    for b in batches:
        assert b, "no empty batches"
        assert len(b) <= max_sentences
        if len(b) > 1:  # a lone over-budget source is allowed, never dropped
            assert len(b) * max(max(lengths[i], 1) for i in b) <= batch_tokens
    # Longest first, so batches are length-contiguous.
    assert [lengths[i] for i in flat] == sorted((lengths[i] for i in flat), reverse=True)


def test_budget_counts_padding() -> None:
    # Four sources of 100 tokens and one of 400: the 400 must not share a
    # 1000-token budget with two or more others (3 × 400 > 1000).
    batches = plan_batches([100, 400, 100, 100, 100], 1000, 64)
    assert batches[0] == [1, 0]  # 2 × 400 = 800 ≤ 1000
    assert batches[1:] == [[2, 3, 4]]
    assert padded_tokens([400, 100]) == 800


def test_ties_keep_input_order_and_max_sentences() -> None:
    assert plan_batches([5] * 7, 10_000, 3) == [[0, 1, 2], [3, 4, 5], [6]]


def test_oversized_source_gets_own_batch() -> None:
    assert plan_batches([50, 3000, 20], 1000, 64) == [[1], [0, 2]]


def test_empty_and_invalid() -> None:
    assert plan_batches([], 100, 10) == []
    with pytest.raises(ValueError):
        plan_batches([1], 0, 10)
    with pytest.raises(ValueError):
        plan_batches([1], 10, 0)
    with pytest.raises(ValueError):
        plan_batches([-1], 10, 10)


def test_sorting_reduces_padding() -> None:
    lengths = [10, 200, 12, 190, 11, 205, 9, 180]
    sorted_plan = plan_batches(lengths, 420, 2)
    naive = [[0, 1], [2, 3], [4, 5], [6, 7]]
    assert padding_ratio(lengths, sorted_plan) < 0.1 < padding_ratio(lengths, naive)
