"""Change one amount anywhere in a clean disclosure: the checker must point at it."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from juesuan.check import check
from juesuan.mutation import detect, mutate, sites
from juesuan.synth import generate

BASES = {
    (profile, funds): generate(profile, seed=5, funds=funds)
    for profile in ("hubei-2022", "shanghai-2024", "legacy-8") for funds in (False, True)
}
SITES = {k: sites(d) for k, d in BASES.items()}

cents = st.integers(min_value=2, max_value=100_000_000).map(lambda c: Decimal(c) / 100)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(sorted(BASES)), data=st.data(), delta=cents, negative=st.booleans())
def test_any_single_change_is_reported_where_it_happened(base, data, delta, negative):
    d = BASES[base]
    site = data.draw(st.sampled_from(SITES[base]))
    delta = -delta if negative else delta
    anywhere, as_error = detect(d, site, delta)
    assert anywhere, f"{site} changed by {delta} went unnoticed"
    if abs(delta) >= 1:
        assert as_error, f"{site} changed by {delta} was not reported as an error"


def test_a_mistyped_item_is_named_once_as_the_culprit():
    d = BASES[("hubei-2022", False)]
    item = next(r for r in d.table("T5").rows if r.code and len(r.code) == 7 and r.value("C2"))
    report = check(mutate(d, next(s for s in SITES[("hubei-2022", False)]
                                  if (s.table, s.row, s.col) == ("T5", item.key, "C2")),
                          Decimal("100")))
    errors = [f for f in report.findings if f.severity.value == "错误"]
    assert len(errors) == 1, [f.message for f in errors]
    f = errors[0]
    assert (f.location.table, f.location.row, f.location.column) == ("T5", item.key, "C2")
    assert f.expected == f"{item.value('C2'):,.2f}"
    assert len(f.related) == 2  # its row formula (C1 = C2 + C3) and its 款 sum
