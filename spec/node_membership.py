"""A cluster node's membership (NODE-01), and the other programs that share its VSS service.

What is modelled: a node fails and rejoins (the failover fault). While it is down its requesters
are gone (the composition crashes them) and it makes no cluster calls. Other programs on the
same machine (backup tools the model does not follow) may take the machine-wide shadow-copy
creation lock and give it back (REQ-14: one lock per VSS service, across all processes): a
requester's StartSnapshotSet then gets VSS_E_SNAPSHOT_SET_IN_PROGRESS with no modelled
requester holding it. The composition lets another program take the lock only while no modelled
requester of the node holds it, so the lock stays exclusive.

Sources: seed 000; sdk-api resapi ClusterClearBackupStateForSharedVolume (NODE-01); AMB-12.
"""

from __future__ import annotations

from statemachine import State

from .vocabulary import SpecMachine, Variable, effect, guard, returns


class ClusterNode(SpecMachine):
    """A node's membership in the cluster: the resapi calls need a member node (NODE-01)."""

    ACTOR = "node"

    VARIABLES = {
        "other_program_creating": Variable(False, "another program on this machine holds the creation "
                                                  "lock (REQ-14)"),
    }

    API_NAMES = {"env_node_fails": "node failure", "env_node_rejoins": "node rejoins",
                 "env_other_program_starts": "another program's StartSnapshotSet",
                 "env_other_program_ends": "another program's creation ends"}

    member = State(initial=True)
    down = State()

    env_node_fails = member.to(down, on=returns("S_OK", "NODE-01", "AMB-12"))
    env_node_rejoins = down.to(member, on=returns("S_OK", "NODE-01"))

    env_other_program_starts = member.to.itself(unless="lock_taken_by_other_program",
                                                on=["take_lock", returns("S_OK", "REQ-14", "AMB-23")])
    env_other_program_ends = member.to.itself(cond="lock_taken_by_other_program",
                                              on=["give_lock", returns("S_OK", "REQ-14", "AMB-23")])

    @guard("REQ-14")
    def lock_taken_by_other_program(self) -> bool:
        return self.model.other_program_creating

    @effect("REQ-14")
    def take_lock(self) -> None:
        self.model.other_program_creating = True

    @effect("REQ-14", "AMB-23")
    def give_lock(self) -> None:
        self.model.other_program_creating = False
