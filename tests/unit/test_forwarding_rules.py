"""The forwarding rate limit's rolling hour (shared.forwarding.admit), pure: a slot frees up exactly
an hour after the forward that took it, and the answer when full says how long until then."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.forwarding import admit

NOW = 1_000_000


def test_the_oldest_forward_frees_its_slot_an_hour_later() -> None:
    full = [NOW - 3599 + i for i in range(3)]
    assert admit(full, NOW, 3) == (None, 1)
    assert admit(full, NOW + 1, 3)[0] == [*full[1:], NOW + 1]


def test_forwards_older_than_an_hour_no_longer_count() -> None:
    assert admit([NOW - 4000, NOW - 5], NOW, 2) == ([NOW - 5, NOW], 0)


@settings(max_examples=30)
@given(st.lists(st.integers(NOW - 7200, NOW), max_size=15), st.integers(1, 12))
def test_admitted_windows_never_exceed_the_limit_and_refusals_name_a_real_wait(
    sent_at: list[int], per_hour: int
) -> None:
    window, wait = admit(sent_at, NOW, per_hour)
    recent = [t for t in sent_at if t > NOW - 3600]
    if window is None:
        assert len(recent) >= per_hour and 1 <= wait <= 3600
        # after the wait, a forward is admitted
        assert admit(recent, NOW + wait, per_hour)[0] is not None
    else:
        assert wait == 0 and len(window) == len(recent) + 1 <= per_hour
