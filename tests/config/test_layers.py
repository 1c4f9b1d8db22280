"""The layer order is a contract: config > register > sanctions > treaties > sources > core.

The contract is the one in pyproject.toml that `lint-imports` (run by `make test`) checks.
"""

import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from importlinter.application.use_cases import read_user_options
from importlinter.configuration import configure
from importlinter.contracts.layers import LayersContract

REPO = Path(__file__).resolve().parents[2]
LAYERS = ["config", "register", "sanctions", "treaties", "sources", "core"]


@pytest.fixture(scope="module")
def options():
    configure()
    return read_user_options(config_filename=str(REPO / "pyproject.toml"))


@pytest.fixture(scope="module")
def graph(options):
    """The project's real import graph, as lint-imports builds it."""
    return grimp.build_graph(*options.session_options["root_packages"], cache_dir=None)


def _layers_contract(options) -> LayersContract:
    (contract_options,) = [c for c in options.contracts_options if c["type"] == "layers"]
    return LayersContract(
        name=contract_options["name"],
        session_options=options.session_options,
        contract_options=contract_options,
    )


def test_the_contract_layers_every_app_in_order(options):
    assert options.session_options["root_packages"] == LAYERS
    assert [c["layers"] for c in options.contracts_options] == [LAYERS]


def test_imports_point_downwards_only(options, graph):
    check = _layers_contract(options).check(graph, verbose=False)
    assert check.kept, check.metadata


def test_lint_imports_keeps_the_contract():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("core.models", "sources.models"),
        ("treaties.selectors", "sanctions.selectors"),
        ("sanctions.services", "register.services"),
        ("register.selectors", "config.urls"),
    ],
)
def test_an_upward_import_breaks_the_contract(options, graph, importer, imported):
    graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    try:
        assert _layers_contract(options).check(graph, verbose=False).kept is False
    finally:
        graph.remove_import(importer=importer, imported=imported)
