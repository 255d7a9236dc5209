"""Ingestion of the block data contract: a drop folder in, typed lake tables and lineage out.

``ingest_drop(workspace, drop_dir)`` is the whole stage: it matches files to
datasets, reads csv (UTF-8 or GB18030), xlsx and parquet, maps headers, coerces
every allowed spelling in DuckDB SQL, rejects rows that break the contract with
file/row/field/value/reason, and loads each dataset atomically with lineage.
"""

from jiancha.ingest.drop import ingest_drop
from jiancha.ingest.report import FileResult, IngestReport, Rejection, write_report

__all__ = ["FileResult", "IngestReport", "Rejection", "ingest_drop", "write_report"]
