"""BIN validation (the IIN/BIN control digit) and the cycle's edition code."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from assessments.kernel.validators import (
    bin_control_digit,
    bin_problem,
    known_editions,
    make_bin,
    validate_bin,
    validate_edition,
)


def test_control_digit_with_the_first_weights():
    # 1*1+2*2+…: digits 1 0 0 5 4 0 0 0 0 0 1 → 1+0+0+20+20+0+0+0+0+0+11 = 52 → 52 % 11 = 8
    assert bin_control_digit("10054000001") == 8
    assert bin_problem("100540000018") is None


def test_control_digit_falls_back_to_the_second_weights_when_the_first_give_10():
    # first weights: 2*3 + 4*5 + 4*1 + ... chosen so the sum is 10 mod 11
    head = next(
        f"0105400{n:04d}" for n in range(10000)
        if sum(int(d) * w for d, w in zip(f"0105400{n:04d}", range(1, 12), strict=True)) % 11 == 10
    )
    second = sum(
        int(d) * w for d, w in zip(head, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)
    ) % 11
    assert bin_control_digit(head) == (None if second == 10 else second)


def test_eleven_digits_that_no_control_digit_completes_are_never_a_bin():
    impossible = next(
        f"0105400{n:04d}" for n in range(10000) if bin_control_digit(f"0105400{n:04d}") is None
    )
    with pytest.raises(ValueError):
        make_bin(impossible)
    for last in "0123456789":
        assert bin_problem(impossible + last) == "checksum"


@pytest.mark.parametrize(
    "value, problem",
    [
        ("", "length"),
        ("12345678901", "length"),
        ("1234567890123", "length"),
        ("12345678901a", "length"),
        ("１２３４５６７８９０１２", "length"),  # full-width digits are not ASCII digits
        ("011340000015", "month"),  # month 13
        ("010500000015", "type"),  # type 0 is not a legal entity
        ("010544000011", "type"),  # attribute 4 does not exist
    ],
)
def test_malformed_bins_are_refused_with_the_reason(value, problem):
    assert bin_problem(value) == problem
    with pytest.raises(ValidationError) as error:
        validate_bin(value)
    assert error.value.code == f"bin_{problem}"


def test_a_wrong_control_digit_is_refused():
    good = make_bin("99024000123")
    wrong = good[:11] + str((int(good[11]) + 1) % 10)
    assert bin_problem(good) is None
    assert bin_problem(wrong) == "checksum"


@given(
    yymm=st.tuples(st.integers(0, 99), st.integers(1, 12)),
    kind=st.sampled_from("456"),
    attribute=st.sampled_from("0123"),
    serial=st.integers(0, 99999),
)
def test_every_completed_bin_is_valid_and_only_its_own_control_digit_is(yymm, kind, attribute,
                                                                        serial):
    head = f"{yymm[0]:02d}{yymm[1]:02d}{kind}{attribute}{serial:05d}"
    control = bin_control_digit(head)
    if control is None:
        return
    assert bin_problem(head + str(control)) is None
    others = [d for d in "0123456789" if d != str(control)]
    assert all(bin_problem(head + d) == "checksum" for d in others)


def test_edition_must_be_one_shipped_by_the_scoring_engine():
    editions = known_editions()
    assert editions is not None and "2023" in editions
    validate_edition("2023")
    with pytest.raises(ValidationError) as error:
        validate_edition("1999")
    assert error.value.code == "unknown_edition"
    with pytest.raises(ValidationError):
        validate_edition("../2023")
