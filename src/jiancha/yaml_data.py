"""Reading the project's YAML files (the contract, model specs, document wording).

PyYAML's pure-Python parser spends about 20 ms on a model spec and 100 ms on the
contract; libyaml's C parser, which PyYAML wheels bundle, reads the same text into the
same values in a tenth of that, and every command that lists models or checks a dataset
pays it at start-up. The pure-Python loader stays as the fallback where PyYAML was built
without libyaml.
"""

from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, with the C parser when there is one; ``yaml.YAMLError`` as before."""
    return yaml.load(text, Loader=_LOADER)
