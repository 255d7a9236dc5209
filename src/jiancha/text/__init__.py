"""Reading Chinese free text: amounts, quantities and acts in administrative penalty decisions.

``numerals`` finds numbers with units (digits or Chinese numerals), ``pollutants``
ties exceedance multiples to the pollutant they are written for, ``acts`` judges
what was done (disposed or stored, concealed pipes, interfering with monitoring),
and ``penalty`` puts them together into one decision's facts and the
``penalty_facts`` derived table the models read.
"""

from jiancha.text.penalty import PenaltyFacts, PenaltyThresholds, penalty_facts_table, read_penalty_facts

__all__ = ["PenaltyFacts", "PenaltyThresholds", "penalty_facts_table", "read_penalty_facts"]
