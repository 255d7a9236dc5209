"""Organisation names stay distinct at any scale the generator accepts."""

from __future__ import annotations

import numpy as np
import pytest

from jiancha.errors import JianchaError
from jiancha.synth import parties
from jiancha.synth.parties import PartyPool


def test_trade_names_stay_distinct_past_the_two_character_pairs():
    """Scale 100 needs more organisations than there are two-character trade names (about 2,000):
    the next ones get a third character, and no two organisations share a trade name or a name."""
    pool = PartyPool(np.random.default_rng(1))
    orgs = [pool.org("环保科技", "雄县") for _ in range(5000)]
    assert len({o.trade for o in orgs}) == len({o.name for o in orgs}) == 5000
    assert {len(o.trade) for o in orgs} == {2, 3}


def test_a_scale_beyond_the_names_is_refused_with_a_sentence():
    pool = PartyPool(np.random.default_rng(1))
    pool._next = 11 * len(pool._trades)
    with pytest.raises(JianchaError, match="单位名称已用尽"):
        pool.org("环保科技", "雄县")


def test_person_names_go_on_once_the_plain_ones_are_used_up():
    """With every plain name taken (as past scale 30), a new person still comes at once, named with
    a character of the longer list, and never one already given."""
    pool = PartyPool(np.random.default_rng(1))
    plain = [s + a for s in parties._SURNAMES for a in parties._GIVEN]
    plain += [s + a + b for s in parties._SURNAMES for a in parties._GIVEN for b in parties._GIVEN]
    pool._people.update(plain)
    fresh = {pool.person() for _ in range(200)}
    assert len(fresh) == 200 and not fresh & set(plain)
    assert all(set(name[1:]) & set(parties._MORE_GIVEN) for name in fresh)
