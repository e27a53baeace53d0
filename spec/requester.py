"""One requester session: an ``IVssBackupComponents`` object used for a backup.

What is modelled: every state-changing method of rules.md section 1 that a backup uses, with
every context of REQ-07 (writer and no-writer, auto-release and persistent, VSS_CTX_ALL; the
modifier bits matter only through REQ-07a's DIFFERENTIAL / PLEX), the per-set volume limit
(``max_volumes_per_set``, 64 by default), and the documented error of every call made in the
wrong state: the call happens, returns that error, and changes nothing (rules.md revision 2).

What is abstracted: the Backup Components Document is one flag (a component was added) and the
caller says whether an AddComponent repeats a key (``duplicate``) or a SetBackupSucceeded names
an added one (``known``): the log checker decides both from the REQ-11 keys it reads; volumes are
indices into the configuration's CSVs, kept as a bit set (a duplicate is REQ-16a); argument
validity is a boolean argument (``valid``) instead of the many malformed values a program could
pass; restore sessions (REQ-04) are not modelled. The asynchronous operations are separate machines
(``async_operation``); their completion reaches this machine through the ``env_*`` events.

Invariants, in prose: PrepareForBackup succeeds only after SetBackupState and StartSnapshotSet
(INV-03); DoSnapshotSet succeeds only with its context's prerequisites (INV-04); a set never
holds more than ``max_volumes_per_set`` volumes (INV-05); SetContext succeeds at most once
(INV-02).

Sources: sdk-api vsbackup pages for each method; win32 "Shadow Copy Creation Details",
"Aborting VSS Operations", "Overview of Backup Termination" (rules REQ-01..48).
"""

from __future__ import annotations

from statemachine import State

from .vocabulary import UNDEFINED, SpecMachine, Variable, effect, each, guard, returns

BAD = "VSS_E_BAD_STATE"

CONTEXT_VALUES = {
    0x0: "backup", 0x10: "file_share_backup", 0x19: "nas_rollback", 0x9: "app_rollback",
    0x1D: "client_accessible", 0xD: "client_accessible_writers", 0xFFFFFFFF: "all",
}
"""REQ-07: the _VSS_SNAPSHOT_CONTEXT values (C) and the abstract context each one is."""
CONTEXTS = tuple(dict.fromkeys(CONTEXT_VALUES.values()))
WRITER_CONTEXTS = ("backup", "app_rollback", "client_accessible_writers")
"""REQ-41: contexts in which writers take part."""
NO_WRITER_CONTEXTS = ("file_share_backup", "nas_rollback", "client_accessible")
"""REQ-42: contexts without writers (AddComponent, PrepareForBackup, BackupComplete rejected)."""
PERSISTENT_CONTEXTS = ("app_rollback", "nas_rollback", "client_accessible", "client_accessible_writers")
"""REQ-38, REQ-07c: NO_AUTO_RELEASE contexts; their copies survive the Release."""
MODIFIERS = {0x20: "TRANSPORTABLE", 0x20000: "DIFFERENTIAL", 0x40000: "PLEX", 0x2: "NO_AUTORECOVERY",
             0x80: "NOT_TRANSACTED", 0x800000: "ROLLBACK_RECOVERY", 0x2000000: "TXF_RECOVERY"}
"""REQ-07 M, the wide reading of AMB-26 (the attribute page's field texts, vshadow)."""
NARROW_MODIFIERS = (0x20, 0x20000, 0x40000)
"""AMB-26's narrow reading: the remarks' "can be used to modify any context"."""
PROVIDER_MODIFIERS = (0x20000, 0x40000)
"""REQ-07a: DIFFERENTIAL and PLEX need a provider that supports them (checked at AddToSnapshotSet)."""


def decode_context(value: int, narrow: bool = False) -> tuple[str, bool]:
    """(abstract context, provider modifier present) of a numeric lContext; ``invalid`` when
    REQ-07 rejects it: C must be a context value, the rest modifier bits of M, and nothing may be
    OR-ed into VSS_CTX_CLIENT_ACCESSIBLE. VSS_CTX_ALL takes no modifier (it is all bits)."""
    if value == 0xFFFFFFFF:
        return "all", False
    allowed = NARROW_MODIFIERS if narrow else tuple(MODIFIERS)
    mask = sum(allowed)
    modifiers = value & mask
    base = value & ~mask & 0xFFFFFFFF
    if base not in CONTEXT_VALUES or (base == 0x1D and modifiers):
        return "invalid", False
    return CONTEXT_VALUES[base], bool(value & sum(PROVIDER_MODIFIERS))


class RequesterSession(SpecMachine):
    """The lifecycle of one IVssBackupComponents object, from creation to Release."""

    ACTOR = "requester"

    VARIABLES = {
        "context": Variable("backup", "VSS_CTX_BACKUP unless SetContext chose another (REQ-07 class)",
                            CONTEXTS),
        "provider_modifier": Variable(False, "SetContext OR-ed in DIFFERENTIAL or PLEX (REQ-07a)"),
        "context_set": Variable(False, "SetContext has succeeded once (REQ-05)"),
        "backup_state_set": Variable(False, "SetBackupState has succeeded (REQ-08)"),
        "component_mode": Variable(False, "bSelectComponents of the last SetBackupState"),
        "metadata": Variable("none", "writer metadata: GatherWriterMetadata progress (REQ-09, REQ-23)",
                             ("none", "pending", "gathered", "failed", "freed")),
        "writer_status": Variable("none", "writer status: GatherWriterStatus progress (REQ-26)",
                                  ("none", "pending", "gathered")),
        "status_after_complete": Variable(False, "writer status gathered after BackupComplete (REQ-27)"),
        "volumes": Variable(0, "bit set of the volumes in the snapshot set (REQ-15)"),
        "component_added": Variable(False, "a component is in the document (REQ-10/11)"),
        "late_add": Variable(False, "a component was added after PrepareForBackup (REQ-10, AMB-02)"),
        "backup_succeeded_set": Variable(False, "SetBackupSucceeded was recorded (REQ-33)"),
        "snapshots_exist": Variable(False, "non-persistent shadow copies exist (REQ-37/38)"),
        "crashed": Variable(False, "the process died and the system released the object (REQ-47)"),
    }

    ARGUMENTS = {
        "create_vss_backup_components": {"privileged": (True, False)},
        "initialize_for_backup": {"xml_valid": (True, False)},
        "set_context": {"context": CONTEXTS + ("invalid",), "provider_modifier": (False, True),
                        "observed_code": (False, True)},
        "add_component": {"duplicate": (False, True)},
        "set_backup_succeeded": {"known": (True, False)},
        "set_backup_state": {"select_components": (False, True), "valid": (True, False)},
        "start_snapshot_set": {"creation_busy": (False, True)},
        "add_to_snapshot_set": {"volume": (), "csv_contended": (False, True), "supported": (True, False),
                                "by_provider": (False, True)},
    }

    API_NAMES = {
        "create_vss_backup_components": "CreateVssBackupComponents",
        "initialize_for_backup": "IVssBackupComponents::InitializeForBackup",
        "set_context": "IVssBackupComponents::SetContext",
        "set_backup_state": "IVssBackupComponents::SetBackupState",
        "gather_writer_metadata": "IVssBackupComponents::GatherWriterMetadata",
        "get_writer_metadata": "IVssBackupComponents::GetWriterMetadata",
        "free_writer_metadata": "IVssBackupComponents::FreeWriterMetadata",
        "add_component": "IVssBackupComponents::AddComponent",
        "start_snapshot_set": "IVssBackupComponents::StartSnapshotSet",
        "add_to_snapshot_set": "IVssBackupComponents::AddToSnapshotSet",
        "prepare_for_backup": "IVssBackupComponents::PrepareForBackup",
        "do_snapshot_set": "IVssBackupComponents::DoSnapshotSet",
        "gather_writer_status": "IVssBackupComponents::GatherWriterStatus",
        "get_writer_status": "IVssBackupComponents::GetWriterStatus",
        "free_writer_status": "IVssBackupComponents::FreeWriterStatus",
        "set_backup_succeeded": "IVssBackupComponents::SetBackupSucceeded",
        "backup_complete": "IVssBackupComponents::BackupComplete",
        "abort_backup": "IVssBackupComponents::AbortBackup",
        "delete_snapshots": "IVssBackupComponents::DeleteSnapshots",
        "release": "IUnknown::Release",
    }

    # -- control states: the phase of the backup ------------------------------------------
    absent = State(initial=True)          # no object yet
    created = State()                     # CreateVssBackupComponents returned it
    initialized = State()                 # InitializeForBackup succeeded
    set_started = State()                 # StartSnapshotSet succeeded
    preparing = State()                   # PrepareForBackup's async is running
    prepared = State()
    prepare_failed = State()
    snapshotting = State()                # DoSnapshotSet's async is running
    snapshot_done = State()
    snapshot_failed = State()
    completing = State()                  # BackupComplete's async is running
    completed = State()
    aborted = State()
    released = State(final=True)

    _live = [created, initialized, set_started, preparing, prepared, prepare_failed,
             snapshotting, snapshot_done, snapshot_failed, completing, completed, aborted]
    _initialized = _live[1:]
    _before_set = [initialized]
    _after_set = _live[2:]
    _after_prepare_call = _live[3:]
    _adding = [initialized, set_started, preparing, prepared]
    _after_snapshot_call = [prepare_failed, snapshotting, snapshot_done, snapshot_failed, completing,
                            completed, aborted]

    # -- creation and initialization ---------------------------------------------------------
    create_vss_backup_components = (
        absent.to(created, cond="privileged_caller", on=returns("S_OK", "REQ-01"))
        | absent.to.itself(on=returns("E_ACCESSDENIED", "REQ-01"))
    )

    initialize_for_backup = (
        created.to(initialized, cond="xml_document_valid", on=returns("S_OK", "REQ-02"))
        | created.to.itself(on=returns("VSS_E_INVALID_XML_DOCUMENT", "REQ-02"))
        | each(_initialized, BAD, "REQ-02")
    )

    set_context = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | initialized.to.itself(cond="context_already_set", on=returns(BAD, "REQ-05"))
        | initialized.to.itself(cond=["context_invalid", "observed_code"],
                                on=returns("VSS_E_UNSUPPORTED_CONTEXT", "REQ-07"))
        | initialized.to.itself(cond="context_invalid", on=returns("E_INVALIDARG", "REQ-07"))
        | initialized.to.itself(on=["record_context", returns("S_OK", "REQ-05", "REQ-07")])
        | each(_after_set, BAD, "REQ-05", "AMB-03")
    )

    set_backup_state = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | initialized.to.itself(unless="arguments_valid", on=returns("E_INVALIDARG", "REQ-08"))
        | initialized.to.itself(on=["record_backup_state", returns("S_OK", "REQ-08")])
        | set_started.to.itself(unless="arguments_valid", on=returns("E_INVALIDARG", "REQ-08"))
        | set_started.to.itself(on=["record_backup_state", returns("S_OK", "REQ-08")])
        | each(_after_prepare_call, BAD, "REQ-08", "AMB-01")
    )

    # -- writer metadata ---------------------------------------------------------------------
    gather_writer_metadata = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | each([initialized, set_started], BAD, "REQ-09", "AMB-04", unless="metadata_not_gathered")
        | initialized.to.itself(on=["begin_metadata_gather", returns("S_OK", "REQ-09", "WRT-03")])
        | set_started.to.itself(on=["begin_metadata_gather", returns("S_OK", "REQ-09", "WRT-03")])
        | each(_after_prepare_call, BAD, "REQ-41", "AMB-01")
    )

    env_metadata_gathered = each(_initialized, "S_OK", "ASY-02", "REQ-22",
                                 effects=("finish_metadata_gather",), cond="metadata_pending")
    env_metadata_failed = each(_initialized, "S_OK", "ASY-02", "REQ-09",
                               effects=("fail_metadata_gather",), cond="metadata_pending")

    get_writer_metadata = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | each(_initialized, "S_OK", "REQ-22", cond="metadata_gathered")
        | each(_initialized, BAD, "REQ-22", "REQ-23", "ASY-07")
    )

    free_writer_metadata = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | each(_initialized, UNDEFINED, "REQ-23", "ASY-07", "INV-27", cond="metadata_pending")
        | each(_initialized, "S_OK", "REQ-23", effects=("free_metadata",), cond="metadata_gathered")
        | each(_initialized, BAD, "REQ-23")
    )

    add_component = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | each(_adding, BAD, "REQ-42", cond="no_writer_context")
        | each(_adding, BAD, "REQ-10", unless="metadata_gathered")
        | each(_adding[1:], BAD, "REQ-10", "AMB-02", cond="components_before_start_required")
        | each(_adding, "VSS_E_OBJECT_ALREADY_EXISTS", "REQ-11", "DATA-08", cond="component_already_added")
        | initialized.to.itself(on=["add_the_component", returns("S_OK", "REQ-10", "AMB-02")])
        | set_started.to.itself(on=["add_the_component", returns("S_OK", "REQ-10", "AMB-02")])
        | preparing.to.itself(on=["add_the_component", "add_late", returns("S_OK", "REQ-10", "AMB-02")])
        | prepared.to.itself(on=["add_the_component", "add_late", returns("S_OK", "REQ-10", "AMB-02")])
        | each(_after_snapshot_call, BAD, "REQ-10", "REQ-30")
    )

    # -- the snapshot set ----------------------------------------------------------------------
    start_snapshot_set = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | initialized.to.itself(cond="context_all", on=returns(BAD, "REQ-07b"))
        | initialized.to.itself(cond="creation_in_progress_elsewhere",
                                on=returns("VSS_E_SNAPSHOT_SET_IN_PROGRESS", "REQ-14", "AMB-23"))
        | initialized.to(set_started, on=returns("S_OK", "REQ-13"))
        | each([set_started, preparing, prepared, snapshotting], "VSS_E_SNAPSHOT_SET_IN_PROGRESS",
               "REQ-14")
        | each([prepare_failed, snapshot_done, snapshot_failed, completing, completed, aborted],
               BAD, "REQ-43")
    )

    add_to_snapshot_set = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | initialized.to.itself(on=returns(BAD, "REQ-15"))
        | each([set_started, prepared], "VSS_E_OBJECT_ALREADY_EXISTS", "REQ-16a", cond="volume_already_in_set")
        | each([set_started, prepared], "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED", "REQ-17",
               "DATA-06", cond="set_is_full")
        | each([set_started, prepared], "VSS_E_SNAPSHOT_SET_IN_PROGRESS", "REQ-19", "NODE-13",
               cond="volume_contended_by_another_node")
        | each([set_started, prepared], "VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER", "REQ-07c", "REQ-20",
               cond="refused_by_provider")
        | each([set_started, prepared], "VSS_E_VOLUME_NOT_SUPPORTED", "REQ-07a", "REQ-07c", "REQ-20",
               unless="provider_supports_volume")
        | set_started.to.itself(on=["add_volume", returns("S_OK", "REQ-15")])
        | prepared.to.itself(on=["add_volume", returns("S_OK", "REQ-15", "AMB-01")])
        | each([preparing, prepare_failed, snapshotting, snapshot_done, snapshot_failed,
                completing, completed, aborted], BAD, "REQ-15", "REQ-30")
    )

    prepare_for_backup = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | initialized.to.itself(on=returns(BAD, "REQ-13", "REQ-28"))
        | set_started.to.itself(cond="no_writer_context", on=returns(BAD, "REQ-42"))
        | set_started.to.itself(unless="backup_state_was_set", on=returns(BAD, "REQ-08", "REQ-28"))
        | set_started.to(preparing, on=returns("S_OK", "REQ-28", "REQ-41"))
        | each(_after_prepare_call, BAD, "REQ-28", "REQ-43")
    )

    do_snapshot_set = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | initialized.to.itself(on=returns(BAD, "REQ-40"))
        | set_started.to(snapshotting, cond="no_writer_context", on=returns("S_OK", "REQ-42"))
        | set_started.to.itself(on=returns(BAD, "REQ-30", "REQ-41", "AMB-24"))
        | prepared.to.itself(unless="metadata_was_gathered", on=returns(BAD, "REQ-41"))
        | prepared.to(snapshotting, on=returns("S_OK", "REQ-30", "REQ-40", "REQ-41"))
        | each([preparing, prepare_failed, snapshotting, snapshot_done, snapshot_failed,
                completing, completed, aborted], BAD, "REQ-30", "REQ-43")
    )

    # -- writer status -------------------------------------------------------------------------
    gather_writer_status = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | each(_initialized, BAD, "REQ-26", cond="status_pending")
        | each(_initialized, "S_OK", "REQ-26", "REQ-27", effects=("begin_status_gather",))
    )
    env_status_gathered = each(_initialized, "S_OK", "ASY-02", "REQ-24",
                               effects=("finish_status_gather",), cond="status_pending")
    env_status_failed = each(_initialized, "S_OK", "ASY-02", "REQ-26",
                             effects=("fail_status_gather",), cond="status_pending")

    get_writer_status = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | each(_initialized, "S_OK", "REQ-24", cond="status_gathered")
        | each(_initialized, BAD, "REQ-24", "ASY-07")
    )

    free_writer_status = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | each(_initialized, "S_OK", "REQ-26", effects=("free_status",), cond="status_gathered")
        | each(_initialized, BAD, "REQ-26")
    )

    # -- completion of the asynchronous operations (raised through IVssAsync) ---------------
    env_prepare_finished = (
        preparing.to(prepared, on=returns("S_OK", "ASY-02", "REQ-28"))
        | aborted.to.itself(on=returns("S_OK", "REQ-36"))
    )
    env_prepare_failed = (
        preparing.to(prepare_failed, on=returns("S_OK", "ASY-02", "REQ-36"))
        | aborted.to.itself(on=returns("S_OK", "REQ-36"))
    )
    env_snapshot_finished = (
        snapshotting.to(snapshot_done, on=["snapshots_created", returns("S_OK", "ASY-02", "REQ-30")])
        | aborted.to.itself(on=returns("S_OK", "REQ-36"))
    )
    env_snapshot_failed = (
        snapshotting.to(snapshot_failed, on=returns("S_OK", "ASY-02", "REQ-31"))
        | aborted.to.itself(on=returns("S_OK", "REQ-36"))
    )
    env_complete_finished = completing.to(completed, on=returns("S_OK", "ASY-02", "REQ-34"))

    # -- completion ----------------------------------------------------------------------------
    set_backup_succeeded = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | snapshot_failed.to.itself(on=returns(BAD, "REQ-34", "REQ-33", "INV-13"))
        | snapshot_done.to.itself(unless="component_in_document",
                                  on=returns("VSS_E_OBJECT_NOT_FOUND", "REQ-33"))
        | snapshot_done.to.itself(on=["record_backup_succeeded", returns("S_OK", "REQ-33")])
        | each([initialized, set_started, preparing, prepared, prepare_failed, snapshotting],
               BAD, "REQ-34", "REQ-33", "INV-13")
        | each([completing, completed, aborted], BAD, "REQ-33", "REQ-29")
    )

    backup_complete = (
        created.to.itself(on=returns(BAD, "REQ-03"))
        | snapshot_failed.to.itself(on=returns(BAD, "REQ-34", "REQ-45", "INV-13"))
        | snapshot_done.to.itself(cond="no_writer_context", on=returns(BAD, "REQ-42"))
        | snapshot_done.to(completing, on=returns("S_OK", "REQ-34", "REQ-33", "INV-28"))
        | each([initialized, set_started, preparing, prepared, prepare_failed, snapshotting],
               BAD, "REQ-34", "INV-13")
        | each([completing, completed, aborted], BAD, "REQ-34", "REQ-43")
    )

    abort_backup = (
        created.to.itself(on=returns(BAD, "REQ-03", "REQ-36"))
        | initialized.to.itself(on=returns("S_OK", "REQ-36"))
        | set_started.to(aborted, on=returns("S_OK", "REQ-36", "AMB-06"))
        | preparing.to(aborted, on=returns("S_OK", "REQ-36", "REQ-36"))
        | prepared.to(aborted, on=returns("S_OK", "REQ-36", "REQ-36"))
        | prepare_failed.to(aborted, on=returns("S_OK", "REQ-36", "AMB-06"))
        | snapshotting.to(aborted, on=returns("S_OK", "REQ-36"))
        | snapshot_failed.to(aborted, on=returns("S_OK", "REQ-45", "AMB-06"))
        | each([snapshot_done, completing, completed, aborted], "S_OK", "REQ-36", "AMB-06", "AMB-25")
    )

    delete_snapshots = (
        created.to.itself(on=returns(BAD, "REQ-03", "AMB-20"))
        | each(_initialized, "VSS_E_OBJECT_NOT_FOUND", "REQ-37", unless="snapshots_present")
        | snapshot_done.to.itself(on=["delete_all_snapshots", returns("S_OK", "REQ-37", "REQ-48")])
        | completing.to.itself(on=["delete_all_snapshots", returns("S_OK", "REQ-37", "AMB-20")])
        | completed.to.itself(on=["delete_all_snapshots", returns("S_OK", "REQ-37", "REQ-48")])
        | aborted.to.itself(on=["delete_all_snapshots", returns("S_OK", "REQ-37", "REQ-48")])
    )

    # -- the end of the object ----------------------------------------------------------------
    release = (
        created.to(released, on=["end_of_object", returns("S_OK", "REQ-01", "REQ-47")])
        | initialized.to(released, on=["end_of_object", returns("S_OK", "REQ-43", "REQ-47")])
        | set_started.to(released, on=["end_of_object", returns("S_OK", "REQ-47", "REQ-38")])
        | preparing.to(released, on=["end_of_object", returns("S_OK", "REQ-47", "REQ-36")])
        | prepared.to(released, on=["end_of_object", returns("S_OK", "REQ-47", "REQ-36")])
        | prepare_failed.to(released, on=["end_of_object", returns("S_OK", "REQ-36")])
        | snapshotting.to(released, on=["end_of_object", returns("S_OK", "REQ-47")])
        | snapshot_done.to(released, on=["end_of_object", returns("S_OK", "REQ-38", "REQ-47")])
        | snapshot_failed.to(released, on=["end_of_object", returns("S_OK", "REQ-45", "REQ-47")])
        | completing.to(released, on=["end_of_object", returns("S_OK", "REQ-47")])
        | completed.to(released, on=["end_of_object", returns("S_OK", "REQ-38", "REQ-47")])
        | aborted.to(released, on=["end_of_object", returns("S_OK", "REQ-45", "REQ-47")])
    )

    env_crash = (
        created.to(released, on=["died", returns("S_OK", "REQ-47")])
        | initialized.to(released, on=["died", returns("S_OK", "REQ-47")])
        | set_started.to(released, on=["died", returns("S_OK", "REQ-47")])
        | preparing.to(released, on=["died", returns("S_OK", "REQ-47")])
        | prepared.to(released, on=["died", returns("S_OK", "REQ-47")])
        | prepare_failed.to(released, on=["died", returns("S_OK", "REQ-47")])
        | snapshotting.to(released, on=["died", returns("S_OK", "REQ-47")])
        | snapshot_done.to(released, on=["died", returns("S_OK", "REQ-47", "NODE-12")])
        | snapshot_failed.to(released, on=["died", returns("S_OK", "REQ-47")])
        | completing.to(released, on=["died", returns("S_OK", "REQ-47")])
        | completed.to(released, on=["died", returns("S_OK", "REQ-47")])
        | aborted.to(released, on=["died", returns("S_OK", "REQ-47")])
    )

    # -- guards -------------------------------------------------------------------------------
    @guard("REQ-01")
    def privileged_caller(self, privileged: bool = True) -> bool:
        return privileged

    @guard("REQ-02")
    def xml_document_valid(self, xml_valid: bool = True) -> bool:
        return xml_valid

    @guard("REQ-05")
    def context_already_set(self) -> bool:
        return self.model.context_set

    @guard("REQ-07", "AMB-26")
    def context_invalid(self, context: str = "backup") -> bool:
        return context not in CONTEXTS

    @guard("REQ-07")
    def observed_code(self, observed_code: bool = False) -> bool:
        """OBS (restic #4512): an invalid context may get VSS_E_UNSUPPORTED_CONTEXT instead of the
        documented E_INVALIDARG; both are allowed (switch ``documented_only``, not modelled)."""
        return observed_code

    @guard("REQ-07c", "REQ-20")
    def refused_by_provider(self, supported: bool = True, by_provider: bool = False) -> bool:
        return not supported and by_provider

    @guard("REQ-07b")
    def context_all(self) -> bool:
        return self.model.context == "all"

    @guard("REQ-07a", "REQ-07c", "REQ-20")
    def provider_supports_volume(self, supported: bool = True) -> bool:
        return supported

    @guard("REQ-08")
    def arguments_valid(self, valid: bool = True) -> bool:
        return valid

    @guard("REQ-08", "REQ-28")
    def backup_state_was_set(self) -> bool:
        return self.model.backup_state_set

    @guard("REQ-42")
    def no_writer_context(self) -> bool:
        return self.model.context in NO_WRITER_CONTEXTS

    @guard("REQ-09", "AMB-04")
    def metadata_not_gathered(self) -> bool:
        return self.model.metadata == "none"

    @guard("REQ-22", "ASY-07")
    def metadata_pending(self) -> bool:
        return self.model.metadata == "pending"

    @guard("REQ-22")
    def metadata_gathered(self) -> bool:
        return self.model.metadata == "gathered"

    @guard("REQ-41")
    def metadata_was_gathered(self) -> bool:
        return self.model.metadata in ("gathered", "freed")

    @guard("AMB-02")
    def components_before_start_required(self) -> bool:
        return self.model.params.readings["AMB-02"] == "strict"

    @guard("REQ-11", "DATA-08")
    def component_already_added(self, duplicate: bool = False) -> bool:
        """``duplicate``: the key (instance id, writer class, logical path, name) is one added
        before; the abstraction keeps one flag for the document, the caller knows the keys."""
        return self.model.component_added and duplicate

    @guard("REQ-33")
    def component_in_document(self, known: bool = True) -> bool:
        return self.model.component_mode and self.model.component_added and known

    @guard("REQ-14")
    def creation_in_progress_elsewhere(self, creation_busy: bool = False) -> bool:
        return creation_busy

    @guard("REQ-15")
    def volume_already_in_set(self, volume: int = 0) -> bool:
        return bool(self.model.volumes >> volume & 1)

    @guard("REQ-17")
    def set_is_full(self) -> bool:
        return self.model.volumes.bit_count() >= self.model.params.max_volumes_per_set

    @guard("REQ-19")
    def volume_contended_by_another_node(self, csv_contended: bool = False) -> bool:
        return csv_contended

    @guard("REQ-26")
    def status_pending(self) -> bool:
        return self.model.writer_status == "pending"

    @guard("REQ-24")
    def status_gathered(self) -> bool:
        return self.model.writer_status == "gathered"

    @guard("REQ-37")
    def snapshots_present(self) -> bool:
        return self.model.snapshots_exist

    # -- effects ------------------------------------------------------------------------------
    @effect("REQ-05", "REQ-07a")
    def record_context(self, context: str = "backup", provider_modifier: bool = False) -> None:
        self.model.context = context
        self.model.context_set = True
        self.model.provider_modifier = provider_modifier

    @effect("REQ-08")
    def record_backup_state(self, select_components: bool = False) -> None:
        self.model.backup_state_set = True
        self.model.component_mode = select_components

    @effect("REQ-09")
    def begin_metadata_gather(self) -> None:
        self.model.metadata = "pending"

    @effect("REQ-22")
    def finish_metadata_gather(self) -> None:
        self.model.metadata = "gathered"

    @effect("ASY-02")
    def fail_metadata_gather(self) -> None:
        self.model.metadata = "failed"

    @effect("REQ-23")
    def free_metadata(self) -> None:
        self.model.metadata = "freed"

    @effect("REQ-10")
    def add_the_component(self) -> None:
        self.model.component_added = True

    @effect("REQ-10", "AMB-02")
    def add_late(self) -> None:
        self.model.late_add = True

    @effect("REQ-15")
    def add_volume(self, volume: int = 0) -> None:
        self.model.volumes |= 1 << volume

    @effect("REQ-26")
    def begin_status_gather(self) -> None:
        self.model.writer_status = "pending"

    @effect("REQ-24")
    def finish_status_gather(self) -> None:
        self.model.writer_status = "gathered"
        if self.model.state == "completed":
            self.model.status_after_complete = True

    @effect("ASY-02")
    def fail_status_gather(self) -> None:
        self.model.writer_status = "none"

    @effect("REQ-26")
    def free_status(self) -> None:
        self.model.writer_status = "none"

    @effect("REQ-33")
    def record_backup_succeeded(self) -> None:
        self.model.backup_succeeded_set = True

    @effect("REQ-30")
    def snapshots_created(self) -> None:
        self.model.snapshots_exist = True

    @effect("REQ-37")
    def delete_all_snapshots(self) -> None:
        self.model.snapshots_exist = False

    @effect("REQ-38", "REQ-48")
    def end_of_object(self) -> None:
        if self.model.context not in PERSISTENT_CONTEXTS:
            self.model.snapshots_exist = False

    @effect("REQ-47", "REQ-01a")
    def died(self) -> None:
        self.model.crashed = True
        if self.model.context not in PERSISTENT_CONTEXTS:
            self.model.snapshots_exist = False

