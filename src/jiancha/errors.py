"""Exceptions users meet. Each carries a complete sentence saying what went wrong,
where, and what to do; the CLI and the API translate them at the edge."""


class JianchaError(Exception):
    """Base class: a problem the user can act on (exit code 1, HTTP 4xx)."""


class WorkspaceError(JianchaError):
    """The workspace is missing, locked or unreadable."""


class ContractError(JianchaError):
    """Input does not follow the block data contract."""


class ModelError(JianchaError):
    """A supervision model is invalid or failed to run."""


class WorkflowError(JianchaError):
    """A clue workflow action is not allowed in the clue's current state."""


class AccessDenied(JianchaError):
    """The user lacks the right for this action or this data."""
