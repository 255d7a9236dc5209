"""The block data contract as the project's own data (``datasets.yaml``).

Everything that needs to know what a dataset looks like — ingestion, the model
validator, the synthetic generator, the web app — asks this module, so the
contract is written down exactly once.
"""

from jiancha.contracts.schema import (
    AREA_RANGE,
    COUNTIES,
    Coverage,
    Dataset,
    Field,
    FieldType,
    dataset,
    datasets,
)

__all__ = ["AREA_RANGE", "COUNTIES", "Coverage", "Dataset", "Field", "FieldType", "dataset", "datasets"]
