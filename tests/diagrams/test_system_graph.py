"""System graphs: drawn whole when small, projected (a quotient) when not, summarised above the limit."""

from __future__ import annotations

import pytest

from shadowspec.model.config import shipped
from shadowspec.model.explorer import explore
from shadowspec.model.system import System
from shadowspec.checks.projection import TooBig, networkx_quotient, projection, whole
from shadowspec.reports.system_graph import to_dot, to_mermaid


@pytest.fixture(scope="module")
def cluster() -> tuple[System, object]:
    system = System(shipped()["cluster-2008r2"])
    return system, explore([system.initial], system.successors)


def test_a_small_system_is_drawn_whole() -> None:
    system = System(shipped()["csv-protocol-2"])
    exploration = explore([system.initial], system.successors)
    picture = whole(system, exploration)
    assert len(picture.nodes) == len(exploration.states)
    assert sum(sum(c.values()) for c in picture.edges.values()) == exploration.transitions
    dot = to_dot(picture)
    assert dot.count(" -> ") == len(picture.edges)
    assert "initial" in dot


def test_above_the_limit_a_summary_instead(cluster) -> None:
    system, exploration = cluster
    with pytest.raises(TooBig) as raised:
        whole(system, exploration, limit=100)
    text = raised.value.summary
    assert f"{len(exploration.states):,} states and {exploration.transitions:,} transitions" in text
    assert "drawing limit of 100" in text and "--project" in text
    assert "volume-1.backup-in-progress: backup_in_progress" in text


@pytest.mark.parametrize("component", [pytest.param("requester-1", marks=pytest.mark.slow), "volume-1",
                                       "volume-1.backup-in-progress"])
def test_projection_is_the_networkx_quotient(cluster, component: str) -> None:
    system, exploration = cluster
    picture = projection(system, exploration, component)
    quotient = networkx_quotient(system, exploration, component)
    assert set(picture.nodes) == set(quotient.nodes)
    assert set(picture.edges) == set(quotient.edges) - {(a, a) for a in quotient.nodes}


def test_projection_edges_name_the_calls(cluster) -> None:
    system, exploration = cluster
    picture = projection(system, exploration, "volume-1.backup-in-progress")
    labels = picture.edges[("backup_in_progress", "not_in_backup")]
    assert any("ClusterClearBackupStateForSharedVolume" in text for text in labels)
    mermaid = to_mermaid(picture)
    assert mermaid.startswith("flowchart LR\n") and "-->|" in mermaid


def test_projection_by_local_record_and_its_limit(cluster) -> None:
    system, exploration = cluster
    with pytest.raises(TooBig, match="blocks, above the drawing limit of 10"):
        projection(system, exploration, "requester-1", detail="local", limit=10)
    with pytest.raises(KeyError, match="components: requester-1"):
        projection(system, exploration, "requester-9")
