"""The C YAML parser reads every YAML file the project ships exactly as the Python one does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import jiancha
from jiancha.yaml_data import load_yaml

FILES = sorted(Path(jiancha.__file__).parent.rglob("*.yaml"))


def test_the_project_ships_yaml_files():
    assert len(FILES) > 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_same_values_as_pyyaml_safe_load(path):
    text = path.read_text("utf-8")
    assert load_yaml(text) == yaml.safe_load(text)


def test_bad_yaml_is_still_a_yaml_error():
    with pytest.raises(yaml.YAMLError):
        load_yaml("id: [unclosed")
