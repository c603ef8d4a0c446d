"""The explanations (第三部分 情况说明) as structured claims, and the figures they disclose."""

from juesuan.narrative.claims import Claim, extract

__all__ = ["Claim", "extract"]
