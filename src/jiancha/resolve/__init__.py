"""Entity resolution: one company or person across every agency's records.

``names`` folds spellings, ``credit_code`` checks GB 32100-2015 codes,
``lookup.entity_lookup_table`` serves the models, ``linker`` runs Splink and
``store`` keeps the entity tables in the lake.
"""

from jiancha.resolve.lookup import entity_lookup_table

__all__ = ["entity_lookup_table"]
