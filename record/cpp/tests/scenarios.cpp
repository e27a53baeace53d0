// The recorder's test program: a requester shaped like Microsoft's VShadow sample, wired to the
// recorder in one line, driven against the scripted fake of fake_vss.h. Each scenario writes one
// log into the current folder; run_scenarios.py checks them with `shadowspec conform`.
//
//   scenarios.exe              every scenario below
//   scenarios.exe all-lines    one call of every recorded method with every named value
//   scenarios.exe transparent  results, out-parameters and GetLastError through the wrapper are
//                              the fake's (exit code 1 and a message otherwise)
//   scenarios.exe threads      4 threads x 2000 calls on one wrapped object (threads.jsonl)
//   scenarios.exe crash        the process is terminated in the middle of its calls (crash.jsonl)
#include "fake_vss.h"

#include <cstdio>
#include <cstring>

// The recorder names control codes by value; they must be the SDK's.
static_assert(shadowspec::detail::kSetSharedVolumeBackupMode == CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, "");
static_assert(shadowspec::detail::kEnableSharedVolumeDirectIo == CLUSCTL_RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO, "");
static_assert(shadowspec::detail::kDisableSharedVolumeDirectIo == CLUSCTL_RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO, "");
static_assert(shadowspec::detail::kSetCsvMaintenanceMode == CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE, "");

namespace {

HRESULT Finish(IVssAsync* async) {
    // VShadow's WaitAndCheckForAsyncOperation: Wait, then QueryStatus decides.
    HRESULT status = S_OK;
    HRESULT hr = async->Wait();
    if (SUCCEEDED(hr)) hr = async->QueryStatus(&status, 0);
    async->Release();
    return FAILED(hr) ? hr : status;
}

// Takes the async's address: the method call must have stored it before it is read.
HRESULT Run(HRESULT hr, IVssAsync** async) { return FAILED(hr) ? hr : Finish(*async); }

struct Csv {
    const wchar_t* mount;  // null: not a CSV backup
};

// One backup of one volume, the way VShadow's create does it; `abortOnFailure` false leaves
// out the AbortBackup that a failed step calls for (the violating scenario).
void Backup(fake::Script& script, shadowspec::Log& log, const wchar_t* volume, const Csv& csv, bool stopAfterPrepare) {
    IVssBackupComponents* backup = 0;
    if (FAILED(shadowspec::Record(fake::Create(script, &backup), &backup, log))) return;  // the one line of wiring
    IVssAsync* async = 0;
    backup->InitializeForBackup();
    backup->SetContext(VSS_CTX_BACKUP);
    backup->SetBackupState(false, false, VSS_BT_FULL, false);
    Run(backup->GatherWriterMetadata(&async), &async);
    UINT writers = 0;
    backup->GetWriterMetadataCount(&writers);
    backup->FreeWriterMetadata();

    WCHAR guidPath[MAX_PATH] = L"";
    shadowspec::detail::SharedVolumeBackupMode mode;
    if (csv.mount) {
        shadowspec::RecordClusterGetVolumeNameForVolumeMountPoint(log, fake::Cluster::VolumeName, csv.mount, guidPath, MAX_PATH);
        ZeroMemory(&mode, sizeof(mode));
        mode.BackupState = 1;  // VolumeBackupInProgress
        mode.DelayTimerInSecs = 300;
        lstrcpyW(mode.VolumeName, guidPath);
        shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0,
                                                 CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, &mode, sizeof(mode), 0, 0, 0);
    }

    VSS_ID set = GUID_NULL, snapshot = GUID_NULL;
    HRESULT hr = backup->StartSnapshotSet(&set);
    for (int retry = 0; hr == VSS_E_SNAPSHOT_SET_IN_PROGRESS && retry < 3; ++retry) {
        Sleep(10);  // another program's snapshot set: wait and try again (REQ-14)
        hr = backup->StartSnapshotSet(&set);
    }
    if (SUCCEEDED(hr)) hr = backup->AddToSnapshotSet(const_cast<VSS_PWSZ>(volume), GUID_NULL, &snapshot);
    if (SUCCEEDED(hr)) hr = Run(backup->PrepareForBackup(&async), &async);
    if (SUCCEEDED(hr) && stopAfterPrepare) {
        backup->Release();  // the bug: no AbortBackup after a successful PrepareForBackup
        return;
    }
    if (SUCCEEDED(hr)) hr = Run(backup->DoSnapshotSet(&async), &async);
    if (hr == VSS_S_ASYNC_FINISHED) {
        VSS_SNAPSHOT_PROP prop;
        backup->GetSnapshotProperties(snapshot, &prop);
        hr = Run(backup->BackupComplete(&async), &async);
        Run(backup->GatherWriterStatus(&async), &async);
        UINT statuses = 0;
        backup->GetWriterStatusCount(&statuses);
        backup->FreeWriterStatus();
    } else {
        backup->AbortBackup();
    }
    if (csv.mount) {
        mode.BackupState = 0;  // VolumeBackupNone
        mode.DelayTimerInSecs = 0;
        shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0,
                                                 CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, &mode, sizeof(mode), 0, 0, 0);
    }
    backup->Release();
}

void Scenario(const wchar_t* file, void (*script)(fake::Script&), const wchar_t* volume, Csv csv = Csv(),
              bool stopAfterPrepare = false, const char* protocol = 0) {
    fake::Script s;
    script(s);
    shadowspec::Log log(file, protocol);
    if (!log.is_open()) {
        std::fprintf(stderr, "cannot open %ls\n", file);
        return;
    }
    Backup(s, log, volume, csv, stopAfterPrepare);
}

void HappyPath(fake::Script&) {}
void FailedSnapshot(fake::Script& s) {
    // DoSnapshotSet's Wait returns S_OK; the failure is in QueryStatus (trace-format.md).
    s.Completes("DoSnapshotSet", S_OK, VSS_E_PROVIDER_VETO);
}
void SetInProgress(fake::Script& s) {
    s.Returns("StartSnapshotSet", VSS_E_SNAPSHOT_SET_IN_PROGRESS);
    s.Returns("StartSnapshotSet", VSS_E_SNAPSHOT_SET_IN_PROGRESS);
}

// One call of everything the recorder writes, with every named value: the format test reads
// each line with the checker's input validation.
void AllLines() {
    fake::Script s;
    s.Returns("CreateVssBackupComponents", E_ACCESSDENIED);
    shadowspec::Log log(L"all-lines.jsonl", "3.0", 2);
    IVssBackupComponents* b = 0;
    shadowspec::Record(fake::Create(s, &b), &b, log);  // a failed create
    shadowspec::Record(fake::Create(s, &b), &b, log);
    VSS_ID id = fake::Id(9), out = GUID_NULL;
    IVssAsync* a = 0;
    UINT n = 0;
    WCHAR path[] = L"C:\\ClusterStorage\\Volume1\\";
    WCHAR odd[] = {L'q', L'"', L'\\', L'\n', 0xD800, L'x', 0xD83D, 0xDE00, 0};
    BSTR xml = SysAllocString(L"<BACKUP_COMPONENTS/>");
    b->InitializeForBackup(0);
    b->InitializeForBackup(xml);
    b->InitializeForRestore(xml);
    SysFreeString(xml);
    const LONG contexts[] = {VSS_CTX_BACKUP, VSS_CTX_FILE_SHARE_BACKUP, VSS_CTX_NAS_ROLLBACK, VSS_CTX_APP_ROLLBACK,
                             VSS_CTX_CLIENT_ACCESSIBLE, VSS_CTX_CLIENT_ACCESSIBLE_WRITERS, static_cast<LONG>(VSS_CTX_ALL),
                             VSS_CTX_APP_ROLLBACK | VSS_VOLSNAP_ATTR_TRANSPORTABLE | VSS_VOLSNAP_ATTR_TXF_RECOVERY, 7};
    for (size_t i = 0; i < sizeof(contexts) / sizeof(contexts[0]); ++i) b->SetContext(contexts[i]);
    for (int t = VSS_BT_UNDEFINED; t <= VSS_BT_OTHER + 1; ++t) b->SetBackupState(true, false, static_cast<VSS_BACKUP_TYPE>(t), true);
    for (int t = VSS_RTYPE_UNDEFINED; t <= VSS_RTYPE_OTHER + 1; ++t) b->SetRestoreState(static_cast<VSS_RESTORE_TYPE>(t));
    b->GetWriterComponentsCount(&n);
    IVssWriterComponentsExt* components = 0;
    b->GetWriterComponents(0, &components);
    b->GatherWriterMetadata(&a);
    a->Wait(5000);
    a->Wait();
    HRESULT status;
    a->QueryStatus(&status, 0);
    a->Cancel();
    a->Release();
    b->GetWriterMetadataCount(&n);
    IVssExamineWriterMetadata* metadata = 0;
    b->GetWriterMetadata(0, &out, &metadata);
    b->FreeWriterMetadata();
    for (int t = VSS_CT_UNDEFINED; t <= VSS_CT_FILEGROUP + 1; ++t) {
        VSS_COMPONENT_TYPE ct = static_cast<VSS_COMPONENT_TYPE>(t);
        b->AddComponent(id, id, ct, 0, L"component");
        b->AddComponent(id, id, ct, odd, odd);
        b->SetBackupSucceeded(id, id, ct, L"", L"component", true);
        b->SetBackupOptions(id, ct, 0, L"component", L"options");
        b->SetSelectedForRestore(id, ct, 0, L"component", false);
        b->SetRestoreOptions(id, ct, 0, L"component", 0);
        b->SetAdditionalRestores(id, ct, 0, L"component", true);
        b->SetPreviousBackupStamp(id, ct, 0, L"component", L"stamp");
        b->AddAlternativeLocationMapping(id, ct, 0, L"component", L"C:\\data", L"*", true, L"D:\\data");
        b->AddRestoreSubcomponent(id, ct, 0, L"component", L"sub", L"subname", false);
        b->AddNewTarget(id, ct, 0, L"component", L"C:\\data", L"file", false, L"D:\\alt");
        b->SetRangesFilePath(id, ct, 0, L"component", 0, L"C:\\ranges");
    }
    for (int t = VSS_RS_UNDEFINED; t <= VSS_RS_FAILED + 1; ++t)
        b->SetFileRestoreStatus(id, VSS_CT_FILEGROUP, 0, L"component", static_cast<VSS_FILE_RESTORE_STATUS>(t));
    b->StartSnapshotSet(&out);
    b->AddToSnapshotSet(path, GUID_NULL, &out);
    b->AddToSnapshotSet(odd, id, &out);
    b->PrepareForBackup(&a);
    a->Wait(INFINITE);
    a->Release();
    b->DoSnapshotSet(&a);
    a->Wait();
    a->Release();
    VSS_SNAPSHOT_PROP prop;
    b->GetSnapshotProperties(out, &prop);
    b->GatherWriterStatus(&a);
    a->Wait();
    a->Release();
    b->GetWriterStatusCount(&n);
    VSS_ID inst, writer;
    BSTR name;
    VSS_WRITER_STATE state;
    HRESULT failure;
    b->GetWriterStatus(0, &inst, &writer, &name, &state, &failure);
    b->FreeWriterStatus();
    BSTR saved = 0;
    b->SaveAsXML(&saved);
    b->BackupComplete(&a);
    a->Wait();
    a->Release();
    b->AbortBackup();
    for (int t = VSS_OBJECT_UNKNOWN; t <= VSS_OBJECT_TYPE_COUNT + 1; ++t) {
        LONG deleted = 0;
        IVssEnumObject* objects = 0;
        b->DeleteSnapshots(id, static_cast<VSS_OBJECT_TYPE>(t), TRUE, &deleted, &out);
        b->Query(GUID_NULL, VSS_OBJECT_NONE, static_cast<VSS_OBJECT_TYPE>(t), &objects);
    }
    IVssAsync* unwrapped = 0;
    b->ImportSnapshots(&unwrapped);
    if (unwrapped) unwrapped->Release();
    b->PreRestore(&unwrapped);
    if (unwrapped) unwrapped->Release();
    b->PostRestore(&unwrapped);
    if (unwrapped) unwrapped->Release();
    b->QueryRevertStatus(path, &unwrapped);
    if (unwrapped) unwrapped->Release();
    b->BreakSnapshotSet(id);
    BOOL supported = FALSE;
    b->IsVolumeSupported(GUID_NULL, path, &supported);
    VSS_ID classes[2] = {fake::Id(1), GUID_NULL};
    b->DisableWriterClasses(classes, 2);
    b->EnableWriterClasses(classes, 2);
    b->DisableWriterInstances(0, 0);
    VSS_PWSZ exposed = 0;
    b->ExposeSnapshot(id, 0, VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY, path, &exposed);
    b->RevertToSnapshot(id, TRUE);
    s.Returns("IsVolumeSupported", 0x80042399L);  // an unnamed code: written in hex
    b->IsVolumeSupported(GUID_NULL, path, &supported);
    s.Returns("PrepareForBackup", VSS_E_BAD_STATE);
    b->PrepareForBackup(&a);
    b->AddRef();
    b->Release();
    b->Release();

    // Cluster calls: every control code with its structure, short and unknown buffers.
    fake::Script& c = fake::Cluster::script();
    shadowspec::detail::SharedVolumeBackupMode mode;
    ZeroMemory(&mode, sizeof(mode));
    lstrcpyW(mode.VolumeName, L"Cluster Disk 2");
    shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0, CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, &mode, sizeof(mode), 0, 0, 0);
    mode.BackupState = 1;
    mode.DelayTimerInSecs = 600;
    c.Returns("ClusterResourceControl", 5949);  // ERROR_CLUSTER_BACKUP_IN_PROGRESS (not in MinGW-w64's winerror.h)
    shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0, CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE, &mode, sizeof(mode), 0, 0, 0);
    shadowspec::detail::CsvMaintenanceModeInfo maintenance;
    ZeroMemory(&maintenance, sizeof(maintenance));
    maintenance.InMaintenance = TRUE;
    lstrcpyW(maintenance.VolumeName, L"Cluster Disk 2");
    shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0, CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE, &maintenance, sizeof(maintenance), 0, 0, 0);
    WCHAR volume[] = L"Cluster Disk 2";
    shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0, CLUSCTL_RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO, volume, sizeof(volume), 0, 0, 0);
    shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0, CLUSCTL_RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO, volume, sizeof(volume), 0, 0, 0);
    shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0, CLUSCTL_RESOURCE_GET_FLAGS, 0, 0, 0, 0, 0);
    shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0, CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO, 0, 0, 0, 0, 0);
    c.Returns("ClusterResourceControl", 0x13A7);  // an unnamed code
    shadowspec::RecordClusterResourceControl(log, fake::Cluster::ResourceControl, 0, 0, 0x12345678, 0, 0, 0, 0, 0);
    WCHAR volumeName[MAX_PATH];
    WCHAR volumePath[MAX_PATH];
    DWORD cchPath = 4, cchName = 4;
    shadowspec::RecordClusterPrepareSharedVolumeForBackup(log, fake::Cluster::Prepare, L"C:\\ClusterStorage\\Volume1\\vm\\disk.vhdx", volumePath, &cchPath, volumeName, &cchName);
    cchPath = cchName = MAX_PATH;
    shadowspec::RecordClusterPrepareSharedVolumeForBackup(log, fake::Cluster::Prepare, L"C:\\ClusterStorage\\Volume1\\vm\\disk.vhdx", volumePath, &cchPath, volumeName, &cchName);
    shadowspec::RecordClusterGetVolumeNameForVolumeMountPoint(log, fake::Cluster::VolumeName, L"C:\\ClusterStorage\\Volume1\\", volumeName, MAX_PATH);
    shadowspec::RecordClusterGetVolumeNameForVolumeMountPoint(log, fake::Cluster::VolumeName, L"C:\\ClusterStorage\\Volume1\\", volumeName, 4);
    shadowspec::RecordClusterClearBackupStateForSharedVolume(log, fake::Cluster::Clear, L"C:\\ClusterStorage\\Volume1\\");
}

// ---------------------------------------------------------------- production guarantees

int failures = 0;

void Expect(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "not transparent: %s\n", what);
        ++failures;
    }
}

// The same script played to a wrapped fake and to a bare one: every result, out-parameter and
// the caller's GetLastError value must be the same.
int Transparent() {
    fake::Script wrappedScript, bareScript;
    fake::Script* scripts[2] = {&wrappedScript, &bareScript};
    for (int i = 0; i < 2; ++i) {
        scripts[i]->Returns("InitializeForBackup", VSS_E_BAD_STATE);
        scripts[i]->Returns("SetContext", static_cast<HRESULT>(0x80042399L));
        scripts[i]->Returns("StartSnapshotSet", VSS_E_SNAPSHOT_SET_IN_PROGRESS);
        scripts[i]->Completes("DoSnapshotSet", VSS_E_PROVIDER_VETO, VSS_E_PROVIDER_VETO);
        scripts[i]->Completes("PrepareForBackup", S_OK, VSS_S_ASYNC_CANCELLED);
    }
    shadowspec::Log log(L"transparent.jsonl");
    IVssBackupComponents* wrapped = 0;
    IVssBackupComponents* bare = 0;
    shadowspec::Record(fake::Create(wrappedScript, &wrapped), &wrapped, log);
    fake::Create(bareScript, &bare);
    Expect(wrapped != 0 && bare != 0 && static_cast<void*>(wrapped) != static_cast<void*>(bare), "wrapped");
    IVssBackupComponents* both[2] = {wrapped, bare};
    HRESULT results[2][12];
    VSS_ID ids[2][2];
    UINT counts[2];
    DWORD errors[2][3];
    for (int i = 0; i < 2; ++i) {
        IVssBackupComponents* b = both[i];
        IVssAsync* a = 0;
        SetLastError(0x1234);
        results[i][0] = b->InitializeForBackup();
        errors[i][0] = GetLastError();
        results[i][1] = b->SetContext(VSS_CTX_BACKUP);
        results[i][2] = b->StartSnapshotSet(&ids[i][0]);
        results[i][3] = b->StartSnapshotSet(&ids[i][0]);
        results[i][4] = b->AddToSnapshotSet(const_cast<VSS_PWSZ>(L"C:\\"), GUID_NULL, &ids[i][1]);
        results[i][5] = b->PrepareForBackup(&a);
        SetLastError(0x4321);
        results[i][6] = a->Wait(100);
        errors[i][1] = GetLastError();
        HRESULT status = S_OK;
        results[i][7] = a->QueryStatus(&status, 0);
        results[i][8] = status;
        a->Release();
        results[i][9] = b->DoSnapshotSet(&a);
        results[i][10] = a->Wait();
        a->Release();
        results[i][11] = b->GetWriterMetadataCount(&counts[i]);
        SetLastError(0x5678);
        b->AddRef();
        errors[i][2] = b->Release() == 1 ? GetLastError() : 0;
    }
    for (int r = 0; r < 12; ++r) Expect(results[0][r] == results[1][r], "result");
    Expect(IsEqualGUID(ids[0][0], ids[1][0]) && IsEqualGUID(ids[0][1], ids[1][1]), "out GUIDs");
    Expect(counts[0] == counts[1], "out count");
    for (int e = 0; e < 3; ++e) Expect(errors[0][e] == errors[1][e] && errors[0][e] != 0, "GetLastError");
    Expect(wrapped->Release() == 0 && bare->Release() == 0, "reference count");

    // A log that cannot be opened: Record hands back the very pointer it was given.
    shadowspec::Log nowhere(L"no-such-folder\\sub\\x.jsonl");
    Expect(!nowhere.is_open(), "unopenable log reported closed");
    IVssBackupComponents* plain = 0;
    fake::Create(bareScript, &plain);
    IVssBackupComponents* same = plain;
    shadowspec::Record(S_OK, &same, nowhere);
    Expect(same == plain, "no wrapper without a log");
    plain->Release();
    // Control codes are named by value (shadowspec_record.h): each name is the SDK's.
#define SAME_NAME(x) Expect(shadowspec::detail::ControlName(x) == #x, #x);
    SAME_NAME(CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE) SAME_NAME(CLUSCTL_RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO)
    SAME_NAME(CLUSCTL_RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO) SAME_NAME(CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE)
    SAME_NAME(CLUSCTL_RESOURCE_GET_CHARACTERISTICS) SAME_NAME(CLUSCTL_RESOURCE_GET_FLAGS)
    SAME_NAME(CLUSCTL_RESOURCE_GET_CLASS_INFO) SAME_NAME(CLUSCTL_RESOURCE_GET_NAME) SAME_NAME(CLUSCTL_RESOURCE_GET_ID)
    SAME_NAME(CLUSCTL_RESOURCE_GET_RESOURCE_TYPE) SAME_NAME(CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES)
    SAME_NAME(CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES) SAME_NAME(CLUSCTL_RESOURCE_STORAGE_GET_DISK_INFO)
    SAME_NAME(CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO)
#undef SAME_NAME
    return failures ? 1 : 0;
}

struct Worker {
    IVssBackupComponents* backup;
    int calls;
};

DWORD WINAPI Hammer(LPVOID parameter) {
    Worker* work = static_cast<Worker*>(parameter);
    UINT n = 0;
    for (int i = 0; i < work->calls; ++i) work->backup->GetWriterMetadataCount(&n);
    return 0;
}

int Threads() {
    fake::Script script;
    shadowspec::Log log(L"threads.jsonl");
    IVssBackupComponents* backup = 0;
    shadowspec::Record(fake::Create(script, &backup), &backup, log);
    Worker work = {backup, 2000};
    HANDLE threads[4];
    for (int i = 0; i < 4; ++i) threads[i] = CreateThread(0, 0, Hammer, &work, 0, 0);
    WaitForMultipleObjects(4, threads, TRUE, INFINITE);
    for (int i = 0; i < 4; ++i) CloseHandle(threads[i]);
    backup->Release();
    return 0;
}

int Crash() {
    fake::Script script;
    shadowspec::Log log(L"crash.jsonl");
    IVssBackupComponents* backup = 0;
    shadowspec::Record(fake::Create(script, &backup), &backup, log);
    Worker work = {backup, 1000000};
    HANDLE thread = CreateThread(0, 0, Hammer, &work, 0, 0);
    Sleep(200);  // mid-way through the calls
    TerminateProcess(GetCurrentProcess(), 3);
    return thread ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::strcmp(argv[1], "transparent") == 0) return Transparent();
    if (argc > 1 && std::strcmp(argv[1], "threads") == 0) return Threads();
    if (argc > 1 && std::strcmp(argv[1], "crash") == 0) return Crash();
    if (argc > 1 && std::strcmp(argv[1], "all-lines") == 0) {
        AllLines();
        return 0;
    }
    Csv csv = {L"C:\\ClusterStorage\\Volume1\\"};
    Scenario(L"happy-path.jsonl", HappyPath, L"C:\\");
    Scenario(L"failed-snapshot-via-querystatus.jsonl", FailedSnapshot, L"C:\\");
    Scenario(L"snapshot-set-in-progress.jsonl", SetInProgress, L"C:\\");
    Scenario(L"csv-backup-mode.jsonl", HappyPath, L"C:\\ClusterStorage\\Volume1\\", csv, false, "3.0");
    Scenario(L"release-after-prepare-without-abort.jsonl", HappyPath, L"C:\\", Csv(), true);
    return 0;
}
