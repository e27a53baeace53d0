// A scripted fake IVssBackupComponents (and IVssAsync, and the cluster functions) for the
// recorder's tests: each method returns the next result its scenario queued for it, S_OK when
// none is queued, so a scenario states only what differs from a successful backup.
#ifndef SHADOWSPEC_FAKE_VSS_H
#define SHADOWSPEC_FAKE_VSS_H

#include "../shadowspec_record.h"

#include <deque>
#include <map>
#include <string>

namespace fake {

struct AsyncResult {
    HRESULT wait;    // what Wait returns
    HRESULT status;  // what QueryStatus puts in pHrResult afterwards
};

// Guarded by a lock, so the thread test can call one fake from several threads.
struct Script {
    Script() { InitializeCriticalSection(&lock); }
    ~Script() { DeleteCriticalSection(&lock); }
    std::map<std::string, std::deque<HRESULT> > results;
    std::map<std::string, std::deque<AsyncResult> > asyncs;
    CRITICAL_SECTION lock;

    void Returns(const char* method, HRESULT hr) {
        EnterCriticalSection(&lock);
        results[method].push_back(hr);
        LeaveCriticalSection(&lock);
    }
    void Completes(const char* method, HRESULT wait, HRESULT status) {
        AsyncResult r = {wait, status};
        EnterCriticalSection(&lock);
        asyncs[method].push_back(r);
        LeaveCriticalSection(&lock);
    }
    HRESULT Next(const char* method) {
        EnterCriticalSection(&lock);
        std::deque<HRESULT>& queue = results[method];
        HRESULT hr = S_OK;
        if (!queue.empty()) {
            hr = queue.front();
            queue.pop_front();
        }
        LeaveCriticalSection(&lock);
        return hr;
    }
    AsyncResult NextAsync(const char* method) {
        AsyncResult done = {S_OK, VSS_S_ASYNC_FINISHED};
        EnterCriticalSection(&lock);
        std::deque<AsyncResult>& queue = asyncs[method];
        if (!queue.empty()) {
            done = queue.front();
            queue.pop_front();
        }
        LeaveCriticalSection(&lock);
        return done;
    }

private:
    Script(const Script&);
    Script& operator=(const Script&);
};

class Async : public IVssAsync {
public:
    explicit Async(AsyncResult result) : refs_(1), result_(result), status_(VSS_S_ASYNC_PENDING) {}
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID, void** ppv) override { *ppv = 0; return E_NOINTERFACE; }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
    ULONG STDMETHODCALLTYPE Release() override {
        ULONG left = --refs_;
        if (!left) delete this;
        return left;
    }
    HRESULT STDMETHODCALLTYPE Cancel() override { status_ = VSS_S_ASYNC_CANCELLED; return S_OK; }
    HRESULT STDMETHODCALLTYPE Wait(DWORD) override { status_ = result_.status; return result_.wait; }
    HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT* pHrResult, INT*) override {
        if (pHrResult) *pHrResult = status_;
        return S_OK;
    }

private:
    virtual ~Async() {}
    ULONG refs_;
    AsyncResult result_;
    HRESULT status_;
};

inline GUID Id(unsigned long n) {
    GUID id = {0x5b3c1f56, 0, 0, {0, 0, 0, 0, 0, 0, 0, static_cast<unsigned char>(n)}};
    return id;
}

class BackupComponents : public IVssBackupComponents {
public:
    explicit BackupComponents(Script& script) : refs_(1), script_(script) {}
    // (reference counting is not atomic: the thread test keeps one reference for its threads)

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID, void** ppv) override { *ppv = 0; return E_NOINTERFACE; }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++refs_; }
    ULONG STDMETHODCALLTYPE Release() override {
        ULONG left = --refs_;
        if (!left) delete this;
        return left;
    }

    HRESULT STDMETHODCALLTYPE GetWriterComponentsCount(UINT* n) override { *n = 0; return Next("GetWriterComponentsCount"); }
    HRESULT STDMETHODCALLTYPE GetWriterComponents(UINT, IVssWriterComponentsExt** p) override { *p = 0; return Next("GetWriterComponents"); }
    HRESULT STDMETHODCALLTYPE InitializeForBackup(BSTR) override { return Next("InitializeForBackup"); }
    HRESULT STDMETHODCALLTYPE SetBackupState(shadowspec::VssBool, shadowspec::VssBool, VSS_BACKUP_TYPE, shadowspec::VssBool) override { return Next("SetBackupState"); }
    HRESULT STDMETHODCALLTYPE InitializeForRestore(BSTR) override { return Next("InitializeForRestore"); }
    HRESULT STDMETHODCALLTYPE SetRestoreState(VSS_RESTORE_TYPE) override { return Next("SetRestoreState"); }
    HRESULT STDMETHODCALLTYPE GatherWriterMetadata(IVssAsync** p) override { return Start("GatherWriterMetadata", p); }
    HRESULT STDMETHODCALLTYPE GetWriterMetadataCount(UINT* n) override { *n = 2; return Next("GetWriterMetadataCount"); }
    HRESULT STDMETHODCALLTYPE GetWriterMetadata(UINT i, VSS_ID* id, IVssExamineWriterMetadata** p) override { *id = Id(0x40 + i); *p = 0; return Next("GetWriterMetadata"); }
    HRESULT STDMETHODCALLTYPE FreeWriterMetadata() override { return Next("FreeWriterMetadata"); }
    HRESULT STDMETHODCALLTYPE AddComponent(VSS_ID, VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR) override { return Next("AddComponent"); }
    HRESULT STDMETHODCALLTYPE PrepareForBackup(IVssAsync** p) override { return Start("PrepareForBackup", p); }
    HRESULT STDMETHODCALLTYPE AbortBackup() override { return Next("AbortBackup"); }
    HRESULT STDMETHODCALLTYPE GatherWriterStatus(IVssAsync** p) override { return Start("GatherWriterStatus", p); }
    HRESULT STDMETHODCALLTYPE GetWriterStatusCount(UINT* n) override { *n = 1; return Next("GetWriterStatusCount"); }
    HRESULT STDMETHODCALLTYPE FreeWriterStatus() override { return Next("FreeWriterStatus"); }
    HRESULT STDMETHODCALLTYPE GetWriterStatus(UINT, VSS_ID* inst, VSS_ID* writer, BSTR* name, VSS_WRITER_STATE* state, HRESULT* failure) override {
        *inst = Id(0x41);
        *writer = Id(0x42);
        *name = 0;
        *state = VSS_WS_STABLE;
        *failure = S_OK;
        return Next("GetWriterStatus");
    }
    HRESULT STDMETHODCALLTYPE SetBackupSucceeded(VSS_ID, VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, shadowspec::VssBool) override { return Next("SetBackupSucceeded"); }
    HRESULT STDMETHODCALLTYPE SetBackupOptions(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) override { return Next("SetBackupOptions"); }
    HRESULT STDMETHODCALLTYPE SetSelectedForRestore(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, shadowspec::VssBool) override { return Next("SetSelectedForRestore"); }
    HRESULT STDMETHODCALLTYPE SetRestoreOptions(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) override { return Next("SetRestoreOptions"); }
    HRESULT STDMETHODCALLTYPE SetAdditionalRestores(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, shadowspec::VssBool) override { return Next("SetAdditionalRestores"); }
    HRESULT STDMETHODCALLTYPE SetPreviousBackupStamp(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR) override { return Next("SetPreviousBackupStamp"); }
    HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR* p) override { *p = 0; return Next("SaveAsXML"); }
    HRESULT STDMETHODCALLTYPE BackupComplete(IVssAsync** p) override { return Start("BackupComplete", p); }
    HRESULT STDMETHODCALLTYPE AddAlternativeLocationMapping(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, shadowspec::VssBool, LPCWSTR) override { return Next("AddAlternativeLocationMapping"); }
    HRESULT STDMETHODCALLTYPE AddRestoreSubcomponent(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, shadowspec::VssBool) override { return Next("AddRestoreSubcomponent"); }
    HRESULT STDMETHODCALLTYPE SetFileRestoreStatus(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, VSS_FILE_RESTORE_STATUS) override { return Next("SetFileRestoreStatus"); }
    HRESULT STDMETHODCALLTYPE AddNewTarget(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, LPCWSTR, LPCWSTR, shadowspec::VssBool, LPCWSTR) override { return Next("AddNewTarget"); }
    HRESULT STDMETHODCALLTYPE SetRangesFilePath(VSS_ID, VSS_COMPONENT_TYPE, LPCWSTR, LPCWSTR, UINT, LPCWSTR) override { return Next("SetRangesFilePath"); }
    HRESULT STDMETHODCALLTYPE PreRestore(IVssAsync** p) override { return Start("PreRestore", p); }
    HRESULT STDMETHODCALLTYPE PostRestore(IVssAsync** p) override { return Start("PostRestore", p); }
    HRESULT STDMETHODCALLTYPE SetContext(LONG) override { return Next("SetContext"); }
    HRESULT STDMETHODCALLTYPE StartSnapshotSet(VSS_ID* id) override {
        HRESULT hr = Next("StartSnapshotSet");
        if (SUCCEEDED(hr)) *id = Id(1);
        return hr;
    }
    HRESULT STDMETHODCALLTYPE AddToSnapshotSet(VSS_PWSZ, VSS_ID, VSS_ID* id) override {
        HRESULT hr = Next("AddToSnapshotSet");
        if (SUCCEEDED(hr)) *id = Id(0x20);
        return hr;
    }
    HRESULT STDMETHODCALLTYPE DoSnapshotSet(IVssAsync** p) override { return Start("DoSnapshotSet", p); }
    HRESULT STDMETHODCALLTYPE DeleteSnapshots(VSS_ID, VSS_OBJECT_TYPE, BOOL, LONG* n, VSS_ID* id) override { *n = 1; *id = GUID_NULL; return Next("DeleteSnapshots"); }
    HRESULT STDMETHODCALLTYPE ImportSnapshots(IVssAsync** p) override { return Start("ImportSnapshots", p); }
    HRESULT STDMETHODCALLTYPE BreakSnapshotSet(VSS_ID) override { return Next("BreakSnapshotSet"); }
    HRESULT STDMETHODCALLTYPE GetSnapshotProperties(VSS_ID, VSS_SNAPSHOT_PROP* prop) override {
        ZeroMemory(prop, sizeof(*prop));
        static WCHAR device[] = L"\\\\?\\GLOBALROOT\\Device\\HarddiskVolumeShadowCopy1";
        static WCHAR original[] = L"\\\\?\\Volume{6f2a1c3e-0000-0000-0000-000000000001}\\";
        prop->m_pwszSnapshotDeviceObject = device;
        prop->m_pwszOriginalVolumeName = original;
        return Next("GetSnapshotProperties");
    }
    HRESULT STDMETHODCALLTYPE Query(VSS_ID, VSS_OBJECT_TYPE, VSS_OBJECT_TYPE, IVssEnumObject** p) override { *p = 0; return Next("Query"); }
    HRESULT STDMETHODCALLTYPE IsVolumeSupported(VSS_ID, VSS_PWSZ, BOOL* ok) override { *ok = TRUE; return Next("IsVolumeSupported"); }
    HRESULT STDMETHODCALLTYPE DisableWriterClasses(const VSS_ID*, UINT) override { return Next("DisableWriterClasses"); }
    HRESULT STDMETHODCALLTYPE EnableWriterClasses(const VSS_ID*, UINT) override { return Next("EnableWriterClasses"); }
    HRESULT STDMETHODCALLTYPE DisableWriterInstances(const VSS_ID*, UINT) override { return Next("DisableWriterInstances"); }
    HRESULT STDMETHODCALLTYPE ExposeSnapshot(VSS_ID, VSS_PWSZ, LONG, VSS_PWSZ, VSS_PWSZ* exposed) override { *exposed = 0; return Next("ExposeSnapshot"); }
    HRESULT STDMETHODCALLTYPE RevertToSnapshot(VSS_ID, BOOL) override { return Next("RevertToSnapshot"); }
    HRESULT STDMETHODCALLTYPE QueryRevertStatus(VSS_PWSZ, IVssAsync** p) override { return Start("QueryRevertStatus", p); }

private:
    virtual ~BackupComponents() {}
    HRESULT Next(const char* method) { return script_.Next(method); }
    HRESULT Start(const char* method, IVssAsync** p) {
        HRESULT hr = script_.Next(method);
        *p = SUCCEEDED(hr) ? new Async(script_.NextAsync(method)) : 0;
        return hr;
    }
    ULONG refs_;
    Script& script_;
};

// ::CreateVssBackupComponents' stand-in: the scenario's fake, or the failure it queued.
inline HRESULT Create(Script& script, IVssBackupComponents** pp) {
    HRESULT hr = script.Next("CreateVssBackupComponents");
    *pp = SUCCEEDED(hr) ? new BackupComponents(script) : 0;
    return hr;
}

// The cluster functions: results queued per function; ClusterResourceControl's per control code.
struct Cluster {
    static Script& script() {
        static Script s;
        return s;
    }
    static DWORD WINAPI ResourceControl(HRESOURCE, HNODE, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD returned) {
        if (returned) *returned = 0;
        return static_cast<DWORD>(script().Next("ClusterResourceControl"));
    }
    static DWORD WINAPI Prepare(LPCWSTR, LPWSTR path, LPDWORD cchPath, LPWSTR name, LPDWORD cchName) {
        static const WCHAR volumePath[] = L"C:\\ClusterStorage\\Volume1\\";
        static const WCHAR volumeName[] = L"\\\\?\\Volume{6f2a1c3e-0000-0000-0000-000000000001}\\";
        DWORD hr = static_cast<DWORD>(script().Next("ClusterPrepareSharedVolumeForBackup"));
        if (hr != ERROR_SUCCESS) return hr;
        if (*cchPath < sizeof(volumePath) / sizeof(WCHAR) || *cchName < sizeof(volumeName) / sizeof(WCHAR)) {
            *cchPath = sizeof(volumePath) / sizeof(WCHAR);
            *cchName = sizeof(volumeName) / sizeof(WCHAR);
            return ERROR_MORE_DATA;
        }
        lstrcpyW(path, volumePath);
        lstrcpyW(name, volumeName);
        *cchPath = lstrlenW(volumePath);
        *cchName = lstrlenW(volumeName);
        return ERROR_SUCCESS;
    }
    static DWORD WINAPI Clear(LPCWSTR) { return static_cast<DWORD>(script().Next("ClusterClearBackupStateForSharedVolume")); }
    static BOOL WINAPI VolumeName(LPCWSTR, LPWSTR name, DWORD cch) {
        static const WCHAR volumeName[] = L"\\\\?\\Volume{6f2a1c3e-0000-0000-0000-000000000001}\\";
        if (script().Next("ClusterGetVolumeNameForVolumeMountPoint") != S_OK || cch < sizeof(volumeName) / sizeof(WCHAR)) {
            SetLastError(ERROR_INSUFFICIENT_BUFFER);
            return FALSE;
        }
        lstrcpyW(name, volumeName);
        return TRUE;
    }
};

}  // namespace fake

#endif
