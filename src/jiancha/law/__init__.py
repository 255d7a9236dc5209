"""The legal-basis catalogue: provisions by key, with their text, source and status.

Models cite provisions by key (``ModelSpec.legal_basis``); documents, the CLI and
the web app look the keys up here to print the citation and the wording.
"""

from jiancha.law.catalogue import LawCatalogue, builtin_catalogue, catalogue_for
from jiancha.law.provision import Provision, UnknownProvision

__all__ = ["LawCatalogue", "Provision", "UnknownProvision", "builtin_catalogue", "catalogue_for"]
