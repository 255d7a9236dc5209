"""jiancha (检察): digital procuratorial legal supervision on shared block data."""

__version__ = "0.1.0"
