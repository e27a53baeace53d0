"""A cluster node's membership: the resapi calls must be made on a member node (NODE-01).

What is modelled: a node fails and rejoins (the failover fault). While it is down its requesters
are gone (the composition crashes them) and it makes no cluster calls.

Sources: seed 000; sdk-api resapi ClusterClearBackupStateForSharedVolume (NODE-01); AMB-12.
"""

from __future__ import annotations

from statemachine import State

from .vocabulary import SpecMachine, returns


class ClusterNode(SpecMachine):
    """A node's membership in the cluster: the resapi calls need a member node (NODE-01)."""

    ACTOR = "node"

    API_NAMES = {"env_node_fails": "node failure", "env_node_rejoins": "node rejoins"}

    member = State(initial=True)
    down = State()

    env_node_fails = member.to(down, on=returns("S_OK", "NODE-01", "AMB-12"))
    env_node_rejoins = down.to(member, on=returns("S_OK", "NODE-01"))
