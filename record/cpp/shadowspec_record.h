// shadowspec_record.h: record a VSS requester's API calls as the JSON Lines log that
// `shadowspec conform` checks (trace-format.md). Header-only; C++11; Windows (MSVC or MinGW-w64).
//
// Why a wrapper and not a hook: wrapping the IVssBackupComponents pointer that
// CreateVssBackupComponents returned sees every call the program makes on it, with the
// arguments and the result, without patching code or running a debugger, and it can be left in
// a shipped build. Wiring (one line):
//
//     hr = shadowspec::CreateVssBackupComponents(&pBackup);   // instead of ::CreateVssBackupComponents
//
// or, where the program creates the object some other way:
//
//     pBackup = shadowspec::Record(pBackup);                  // takes over the reference
//
// The log goes to the file named by the environment variable SHADOWSPEC_LOG ("{pid}" in it is
// replaced by the process id), or to a shadowspec::Log passed as the last argument. Without a
// log, nothing but forwarding happens: Record returns the pointer it was given.
//
// Production guarantees: each line is one WriteFile call, written whole while the calls of other
// threads wait, so a crash leaves a valid prefix; a recorded call's result, out-parameters and
// GetLastError value are the real object's; nothing is thrown (every recording step catches
// everything and drops the line); the cost per call is a constant amount of formatting.
#ifndef SHADOWSPEC_RECORD_H
#define SHADOWSPEC_RECORD_H

#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>
#if defined(__MINGW32__) && !defined(_stdcall)
#define _stdcall __stdcall  // resapi.h spells it so; MinGW defines it only in GNU modes (-std=gnu++NN)
#endif
#if defined(__MINGW32__) && defined(_WIN32_WINNT) && _WIN32_WINNT >= 0x0600
// MinGW-w64's clusapi.h declares its Vista-and-later types twice when _WIN32_WINNT >= 0x0600 (a
// header bug); everything used here is declared outside that block, so include it as for XP.
// resapi.h names one type of that block, only through a pointer: declare the pointer type.
#pragma push_macro("_WIN32_WINNT")
#undef _WIN32_WINNT
#define _WIN32_WINNT 0x0502
#include <clusapi.h>
typedef struct _CLUSPROP_FILETIME* PCLUSPROP_FILETIME;
#include <resapi.h>
#pragma pop_macro("_WIN32_WINNT")
#else
#include <clusapi.h>
#include <resapi.h>
#endif

#include <new>
#include <string>

#define SHADOWSPEC_RECORD_VERSION "1"

namespace shadowspec {

#ifdef __MINGW32__
typedef boolean VssBool;  // MinGW-w64's vsbackup.h declares the flags as `boolean`
#else
typedef bool VssBool;     // the Windows SDK declares them as `bool`
#endif

namespace detail {

// ---------------------------------------------------------------- JSON text

inline void AppendQuoted(std::string& out, const char* text) {
    out += '"';
    for (const char* p = text; *p; ++p) {
        unsigned char c = static_cast<unsigned char>(*p);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            static const char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            out += static_cast<char>(c);
        }
    }
    out += '"';
}

// The longest string argument kept (UTF-16 units): the longest Windows path, so a line stays far
// below the checker's 1 MiB limit whatever the program passes.
const size_t kMaxChars = 32767;

inline void AppendUtf8(std::string& out, unsigned long code) {
    if (code < 0x80) {
        out += static_cast<char>(code);
    } else if (code < 0x800) {
        out += static_cast<char>(0xC0 | (code >> 6));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        out += static_cast<char>(0xE0 | (code >> 12));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code >> 18));
        out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code & 0x3F));
    }
}

// A UTF-16 string as a JSON string: at most `limit` units, lone surrogates as U+FFFD.
inline void AppendQuotedWide(std::string& out, const wchar_t* text, size_t limit = kMaxChars) {
    out += '"';
    size_t i = 0;
    while (i < limit && text[i]) {
        unsigned long c = static_cast<unsigned short>(text[i++]);
        if (c >= 0xD800 && c < 0xDC00 && i < limit && text[i] >= 0xDC00 && text[i] < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (static_cast<unsigned short>(text[i++]) - 0xDC00);
        } else if (c >= 0xD800 && c < 0xE000) {
            c = 0xFFFD;
        }
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            static const char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 15];
        } else {
            AppendUtf8(out, c);
        }
    }
    out += '"';
}

inline void AppendNumber(std::string& out, unsigned long long value) {
    char digits[24];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + value % 10);
        value /= 10;
    } while (value);
    while (n) out += digits[--n];
}

inline void AppendSigned(std::string& out, long long value) {
    if (value < 0) {
        out += '-';
        AppendNumber(out, 0ULL - static_cast<unsigned long long>(value));
    } else {
        AppendNumber(out, static_cast<unsigned long long>(value));
    }
}

inline void AppendPadded(std::string& out, unsigned long value, int width) {
    char digits[12];
    for (int i = width - 1; i >= 0; --i) {
        digits[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
    out.append(digits, static_cast<size_t>(width));
}

inline std::string Hex32(unsigned long value) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out = "0x";
    for (int shift = 28; shift >= 0; shift -= 4) out += hex[(value >> shift) & 15];
    return out;
}

// A GUID as {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}; the null GUID as GUID_NULL (its SDK name).
inline std::string GuidText(const GUID& id) {
    static const char hex[] = "0123456789abcdef";
    const unsigned char* b = reinterpret_cast<const unsigned char*>(&id);
    bool null = true;
    for (size_t i = 0; i < sizeof(GUID); ++i) null = null && b[i] == 0;
    if (null) return "GUID_NULL";
    std::string out = "{";
    unsigned long parts[3] = {id.Data1, id.Data2, id.Data3};
    int widths[3] = {8, 4, 4};
    for (int p = 0; p < 3; ++p) {
        for (int shift = (widths[p] - 1) * 4; shift >= 0; shift -= 4) out += hex[(parts[p] >> shift) & 15];
        out += '-';
    }
    for (int i = 0; i < 8; ++i) {
        if (i == 2) out += '-';
        out += hex[id.Data4[i] >> 4];
        out += hex[id.Data4[i] & 15];
    }
    out += '}';
    return out;
}

// One JSON object under construction ("args" or "out" of a line).
class Object {
public:
    Object() : empty_(true) {}
    bool empty() const { return empty_; }
    const std::string& text() const { return text_; }
    Object& Str(const char* key, const char* value) {
        Key(key);
        if (value) AppendQuoted(text_, value); else text_ += "null";
        return *this;
    }
    Object& Str(const char* key, const std::string& value) { return Str(key, value.c_str()); }
    Object& WStr(const char* key, const wchar_t* value, size_t limit = kMaxChars) {
        Key(key);
        if (value) AppendQuotedWide(text_, value, limit); else text_ += "null";
        return *this;
    }
    Object& Bool(const char* key, bool value) { Key(key); text_ += value ? "true" : "false"; return *this; }
    Object& Num(const char* key, unsigned long long value) { Key(key); AppendNumber(text_, value); return *this; }
    Object& Int(const char* key, long long value) { Key(key); AppendSigned(text_, value); return *this; }
    Object& Guid(const char* key, const GUID& value) { return Str(key, GuidText(value)); }
    Object& GuidList(const char* key, const GUID* values, UINT count) {
        Key(key);
        if (!values) { text_ += "null"; return *this; }
        text_ += '[';
        for (UINT i = 0; i < count && i < 4096; ++i) {
            if (i) text_ += ", ";
            AppendQuoted(text_, GuidText(values[i]).c_str());
        }
        text_ += ']';
        return *this;
    }

private:
    void Key(const char* key) {
        if (!empty_) text_ += ", ";
        empty_ = false;
        AppendQuoted(text_, key);
        text_ += ": ";
    }
    std::string text_;
    bool empty_;
};

// ---------------------------------------------------------------- documented names

struct Code {
    unsigned long value;
    const char* name;
};

// Every return code rules.md names, the rest of vsserror.h, and the generic COM codes. A code
// not here is written in hex (0x8004xxxx), which the checker treats as an undocumented failure.
inline const char* HresultName(HRESULT hr) {
    static const Code codes[] = {
        {0x00000000UL, "S_OK"},
        {0x00000001UL, "S_FALSE"},
        {0x80004001UL, "E_NOTIMPL"},
        {0x80004002UL, "E_NOINTERFACE"},
        {0x80004003UL, "E_POINTER"},
        {0x80004004UL, "E_ABORT"},
        {0x80004005UL, "E_FAIL"},
        {0x8000FFFFUL, "E_UNEXPECTED"},
        {0x80070005UL, "E_ACCESSDENIED"},
        {0x80070006UL, "E_HANDLE"},
        {0x8007000EUL, "E_OUTOFMEMORY"},
        {0x80070057UL, "E_INVALIDARG"},
        {0x80010108UL, "RPC_E_DISCONNECTED"},
        {0x80010105UL, "RPC_E_SERVERFAULT"},
        {0x80042301UL, "VSS_E_BAD_STATE"},
        {0x80042302UL, "VSS_E_UNEXPECTED"},
        {0x80042303UL, "VSS_E_PROVIDER_ALREADY_REGISTERED"},
        {0x80042304UL, "VSS_E_PROVIDER_NOT_REGISTERED"},
        {0x80042306UL, "VSS_E_PROVIDER_VETO"},
        {0x80042307UL, "VSS_E_PROVIDER_IN_USE"},
        {0x80042308UL, "VSS_E_OBJECT_NOT_FOUND"},
        {0x00042309UL, "VSS_S_ASYNC_PENDING"},
        {0x0004230AUL, "VSS_S_ASYNC_FINISHED"},
        {0x0004230BUL, "VSS_S_ASYNC_CANCELLED"},
        {0x8004230CUL, "VSS_E_VOLUME_NOT_SUPPORTED"},
        {0x8004230EUL, "VSS_E_VOLUME_NOT_SUPPORTED_BY_PROVIDER"},
        {0x8004230DUL, "VSS_E_OBJECT_ALREADY_EXISTS"},
        {0x8004230FUL, "VSS_E_UNEXPECTED_PROVIDER_ERROR"},
        {0x80042310UL, "VSS_E_CORRUPT_XML_DOCUMENT"},
        {0x80042311UL, "VSS_E_INVALID_XML_DOCUMENT"},
        {0x80042312UL, "VSS_E_MAXIMUM_NUMBER_OF_VOLUMES_REACHED"},
        {0x80042313UL, "VSS_E_FLUSH_WRITES_TIMEOUT"},
        {0x80042314UL, "VSS_E_HOLD_WRITES_TIMEOUT"},
        {0x80042315UL, "VSS_E_UNEXPECTED_WRITER_ERROR"},
        {0x80042316UL, "VSS_E_SNAPSHOT_SET_IN_PROGRESS"},
        {0x80042317UL, "VSS_E_MAXIMUM_NUMBER_OF_SNAPSHOTS_REACHED"},
        {0x80042318UL, "VSS_E_WRITER_INFRASTRUCTURE"},
        {0x80042319UL, "VSS_E_WRITER_NOT_RESPONDING"},
        {0x8004231AUL, "VSS_E_WRITER_ALREADY_SUBSCRIBED"},
        {0x8004231BUL, "VSS_E_UNSUPPORTED_CONTEXT"},
        {0x8004231DUL, "VSS_E_VOLUME_IN_USE"},
        {0x8004231EUL, "VSS_E_MAXIMUM_DIFFAREA_ASSOCIATIONS_REACHED"},
        {0x8004231FUL, "VSS_E_INSUFFICIENT_STORAGE"},
        {0x80042320UL, "VSS_E_NO_SNAPSHOTS_IMPORTED"},
        {0x00042321UL, "VSS_S_SOME_SNAPSHOTS_NOT_IMPORTED"},
        {0x80042321UL, "VSS_E_SOME_SNAPSHOTS_NOT_IMPORTED"},
        {0x80042322UL, "VSS_E_MAXIMUM_NUMBER_OF_REMOTE_MACHINES_REACHED"},
        {0x80042323UL, "VSS_E_REMOTE_SERVER_UNAVAILABLE"},
        {0x80042324UL, "VSS_E_REMOTE_SERVER_UNSUPPORTED"},
        {0x80042325UL, "VSS_E_REVERT_IN_PROGRESS"},
        {0x80042326UL, "VSS_E_REVERT_VOLUME_LOST"},
        {0x80042327UL, "VSS_E_REBOOT_REQUIRED"},
        {0x80042328UL, "VSS_E_TRANSACTION_FREEZE_TIMEOUT"},
        {0x80042329UL, "VSS_E_TRANSACTION_THAW_TIMEOUT"},
        {0x8004232DUL, "VSS_E_VOLUME_NOT_LOCAL"},
        {0x8004232EUL, "VSS_E_CLUSTER_TIMEOUT"},
        {0x800423F0UL, "VSS_E_WRITERERROR_INCONSISTENTSNAPSHOT"},
        {0x800423F1UL, "VSS_E_WRITERERROR_OUTOFRESOURCES"},
        {0x800423F2UL, "VSS_E_WRITERERROR_TIMEOUT"},
        {0x800423F3UL, "VSS_E_WRITERERROR_RETRYABLE"},
        {0x800423F4UL, "VSS_E_WRITERERROR_NONRETRYABLE"},
        {0x800423F5UL, "VSS_E_WRITERERROR_RECOVERY_FAILED"},
        {0x800423F6UL, "VSS_E_BREAK_REVERT_ID_FAILED"},
        {0x800423F7UL, "VSS_E_LEGACY_PROVIDER"},
        {0x800423F8UL, "VSS_E_MISSING_DISK"},
        {0x800423F9UL, "VSS_E_MISSING_HIDDEN_VOLUME"},
        {0x800423FAUL, "VSS_E_MISSING_VOLUME"},
        {0x800423FBUL, "VSS_E_AUTORECOVERY_FAILED"},
        {0x800423FCUL, "VSS_E_DYNAMIC_DISK_ERROR"},
        {0x800423FDUL, "VSS_E_NONTRANSPORTABLE_BCD"},
        {0x800423FEUL, "VSS_E_CANNOT_REVERT_DISKID"},
        {0x800423FFUL, "VSS_E_RESYNC_IN_PROGRESS"},
        {0x80042400UL, "VSS_E_CLUSTER_ERROR"},
        {0x8004232AUL, "VSS_E_UNSELECTED_VOLUME"},
        {0x8004232BUL, "VSS_E_SNAPSHOT_NOT_IN_SET"},
        {0x8004232CUL, "VSS_E_NESTED_VOLUME_LIMIT"},
        {0x8004232FUL, "VSS_E_NOT_SUPPORTED"},
        {0x80042336UL, "VSS_E_WRITERERROR_PARTIAL_FAILURE"},
        {0x80042401UL, "VSS_E_ASRERROR_DISK_ASSIGNMENT_FAILED"},
        {0x80042402UL, "VSS_E_ASRERROR_DISK_RECREATION_FAILED"},
        {0x80042403UL, "VSS_E_ASRERROR_NO_ARCPATH"},
        {0x80042404UL, "VSS_E_ASRERROR_MISSING_DYNDISK"},
        {0x80042405UL, "VSS_E_ASRERROR_SHARED_CRIDISK"},
        {0x80042406UL, "VSS_E_ASRERROR_DATADISK_RDISK0"},
        {0x80042407UL, "VSS_E_ASRERROR_RDISK0_TOOSMALL"},
        {0x80042408UL, "VSS_E_ASRERROR_CRITICAL_DISKS_TOO_SMALL"},
        {0x80042409UL, "VSS_E_WRITER_STATUS_NOT_AVAILABLE"},
        {0x8004240AUL, "VSS_E_ASRERROR_DYNAMIC_VHD_NOT_SUPPORTED"},
        {0x80042411UL, "VSS_E_CRITICAL_VOLUME_ON_INVALID_DISK"},
        {0x80042412UL, "VSS_E_ASRERROR_RDISK_FOR_SYSTEM_DISK_NOT_FOUND"},
        {0x80042413UL, "VSS_E_ASRERROR_NO_PHYSICAL_DISK_AVAILABLE"},
        {0x80042414UL, "VSS_E_ASRERROR_FIXED_PHYSICAL_DISK_AVAILABLE_AFTER_DISK_EXCLUSION"},
        {0x80042415UL, "VSS_E_ASRERROR_CRITICAL_DISK_CANNOT_BE_EXCLUDED"},
        {0x80042416UL, "VSS_E_ASRERROR_SYSTEM_PARTITION_HIDDEN"},
        {0x80042417UL, "VSS_E_FSS_TIMEOUT"},
    };
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); ++i) {
        if (codes[i].value == static_cast<unsigned long>(hr)) return codes[i].name;
    }
    return 0;
}

// Win32 error codes that the cluster functions return (DWORD), by name.
inline const char* Win32Name(DWORD code) {
    static const Code codes[] = {
        {0UL, "ERROR_SUCCESS"},
        {1UL, "ERROR_INVALID_FUNCTION"},
        {2UL, "ERROR_FILE_NOT_FOUND"},
        {3UL, "ERROR_PATH_NOT_FOUND"},
        {5UL, "ERROR_ACCESS_DENIED"},
        {6UL, "ERROR_INVALID_HANDLE"},
        {8UL, "ERROR_NOT_ENOUGH_MEMORY"},
        {21UL, "ERROR_NOT_READY"},
        {50UL, "ERROR_NOT_SUPPORTED"},
        {87UL, "ERROR_INVALID_PARAMETER"},
        {120UL, "ERROR_CALL_NOT_IMPLEMENTED"},
        {122UL, "ERROR_INSUFFICIENT_BUFFER"},
        {127UL, "ERROR_PROC_NOT_FOUND"},
        {234UL, "ERROR_MORE_DATA"},
        {997UL, "ERROR_IO_PENDING"},
        {5004UL, "ERROR_RESOURCE_NOT_ONLINE"},
        {5007UL, "ERROR_RESOURCE_NOT_FOUND"},
        {5048UL, "ERROR_CLUSTER_INVALID_REQUEST"},
        {5050UL, "ERROR_CLUSTER_NODE_DOWN"},
        {5072UL, "ERROR_CLUSTER_NODE_NOT_READY"},
        {5949UL, "ERROR_CLUSTER_BACKUP_IN_PROGRESS"},
    };
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); ++i) {
        if (codes[i].value == code) return codes[i].name;
    }
    return 0;
}

inline std::string HresultText(HRESULT hr) {
    const char* name = HresultName(hr);
    return name ? std::string(name) : Hex32(static_cast<unsigned long>(hr));
}

inline std::string Win32Text(DWORD code) {
    const char* name = Win32Name(code);
    return name ? std::string(name) : Hex32(code);
}

#define SHADOWSPEC_NAME(x) case x: return #x;

inline std::string BackupTypeName(VSS_BACKUP_TYPE type) {
    switch (type) {
        SHADOWSPEC_NAME(VSS_BT_UNDEFINED) SHADOWSPEC_NAME(VSS_BT_FULL) SHADOWSPEC_NAME(VSS_BT_INCREMENTAL)
        SHADOWSPEC_NAME(VSS_BT_DIFFERENTIAL) SHADOWSPEC_NAME(VSS_BT_LOG) SHADOWSPEC_NAME(VSS_BT_COPY)
        SHADOWSPEC_NAME(VSS_BT_OTHER)
        default: return Hex32(static_cast<unsigned long>(type));
    }
}

inline std::string RestoreTypeName(VSS_RESTORE_TYPE type) {
    switch (type) {
        SHADOWSPEC_NAME(VSS_RTYPE_UNDEFINED) SHADOWSPEC_NAME(VSS_RTYPE_BY_COPY) SHADOWSPEC_NAME(VSS_RTYPE_IMPORT)
        SHADOWSPEC_NAME(VSS_RTYPE_OTHER)
        default: return Hex32(static_cast<unsigned long>(type));
    }
}

inline std::string ComponentTypeName(VSS_COMPONENT_TYPE type) {
    switch (type) {
        SHADOWSPEC_NAME(VSS_CT_UNDEFINED) SHADOWSPEC_NAME(VSS_CT_DATABASE) SHADOWSPEC_NAME(VSS_CT_FILEGROUP)
        default: return Hex32(static_cast<unsigned long>(type));
    }
}

inline std::string ObjectTypeName(VSS_OBJECT_TYPE type) {
    switch (type) {
        SHADOWSPEC_NAME(VSS_OBJECT_UNKNOWN) SHADOWSPEC_NAME(VSS_OBJECT_NONE) SHADOWSPEC_NAME(VSS_OBJECT_SNAPSHOT_SET)
        SHADOWSPEC_NAME(VSS_OBJECT_SNAPSHOT) SHADOWSPEC_NAME(VSS_OBJECT_PROVIDER) SHADOWSPEC_NAME(VSS_OBJECT_TYPE_COUNT)
        default: return Hex32(static_cast<unsigned long>(type));
    }
}

inline std::string FileRestoreStatusName(VSS_FILE_RESTORE_STATUS status) {
    switch (status) {
        SHADOWSPEC_NAME(VSS_RS_UNDEFINED) SHADOWSPEC_NAME(VSS_RS_NONE) SHADOWSPEC_NAME(VSS_RS_ALL)
        SHADOWSPEC_NAME(VSS_RS_FAILED)
        default: return Hex32(static_cast<unsigned long>(status));
    }
}

inline std::string WriterStateName(VSS_WRITER_STATE state) {
    switch (state) {
        SHADOWSPEC_NAME(VSS_WS_UNKNOWN) SHADOWSPEC_NAME(VSS_WS_STABLE) SHADOWSPEC_NAME(VSS_WS_WAITING_FOR_FREEZE)
        SHADOWSPEC_NAME(VSS_WS_WAITING_FOR_THAW) SHADOWSPEC_NAME(VSS_WS_WAITING_FOR_POST_SNAPSHOT)
        SHADOWSPEC_NAME(VSS_WS_WAITING_FOR_BACKUP_COMPLETE) SHADOWSPEC_NAME(VSS_WS_FAILED_AT_IDENTIFY)
        SHADOWSPEC_NAME(VSS_WS_FAILED_AT_PREPARE_BACKUP) SHADOWSPEC_NAME(VSS_WS_FAILED_AT_PREPARE_SNAPSHOT)
        SHADOWSPEC_NAME(VSS_WS_FAILED_AT_FREEZE) SHADOWSPEC_NAME(VSS_WS_FAILED_AT_THAW)
        SHADOWSPEC_NAME(VSS_WS_FAILED_AT_POST_SNAPSHOT) SHADOWSPEC_NAME(VSS_WS_FAILED_AT_BACKUP_COMPLETE)
        SHADOWSPEC_NAME(VSS_WS_FAILED_AT_PRE_RESTORE) SHADOWSPEC_NAME(VSS_WS_FAILED_AT_POST_RESTORE)
        SHADOWSPEC_NAME(VSS_WS_FAILED_AT_BACKUPSHUTDOWN)
        default: return Hex32(static_cast<unsigned long>(state));
    }
}

struct Bit {
    unsigned long value;
    const char* name;
};

// SetContext's lContext as its name: a _VSS_SNAPSHOT_CONTEXT value, OR-ed with the
// _VSS_VOLUME_SNAPSHOT_ATTRIBUTES modifier bits a requester may set (rules.md REQ-07), written
// "VSS_CTX_APP_ROLLBACK|VSS_VOLSNAP_ATTR_TRANSPORTABLE". Anything else is written in hex, so an
// invalid context stays visible as what it was.
inline std::string ContextName(LONG context) {
    static const Bit contexts[] = {  // widest first, so the longest matching context wins
        {0xFFFFFFFFUL, "VSS_CTX_ALL"},
        {0x1DUL, "VSS_CTX_CLIENT_ACCESSIBLE"},
        {0x19UL, "VSS_CTX_NAS_ROLLBACK"},
        {0x0DUL, "VSS_CTX_CLIENT_ACCESSIBLE_WRITERS"},
        {0x09UL, "VSS_CTX_APP_ROLLBACK"},
        {0x10UL, "VSS_CTX_FILE_SHARE_BACKUP"},
        {0x00UL, "VSS_CTX_BACKUP"},
    };
    static const Bit modifiers[] = {
        {0x00000002UL, "VSS_VOLSNAP_ATTR_NO_AUTORECOVERY"},
        {0x00000020UL, "VSS_VOLSNAP_ATTR_TRANSPORTABLE"},
        {0x00000080UL, "VSS_VOLSNAP_ATTR_NOT_TRANSACTED"},
        {0x00020000UL, "VSS_VOLSNAP_ATTR_DIFFERENTIAL"},
        {0x00040000UL, "VSS_VOLSNAP_ATTR_PLEX"},
        {0x00800000UL, "VSS_VOLSNAP_ATTR_ROLLBACK_RECOVERY"},
        {0x02000000UL, "VSS_VOLSNAP_ATTR_TXF_RECOVERY"},
    };
    unsigned long value = static_cast<unsigned long>(context);
    for (size_t c = 0; c < sizeof(contexts) / sizeof(contexts[0]); ++c) {
        unsigned long base = contexts[c].value;
        if ((value & base) != base) continue;
        unsigned long rest = value & ~base;
        std::string name = contexts[c].name;
        for (size_t m = 0; m < sizeof(modifiers) / sizeof(modifiers[0]) && rest; ++m) {
            if (rest & modifiers[m].value) {
                name += '|';
                name += modifiers[m].name;
                rest &= ~modifiers[m].value;
            }
        }
        if (!rest) return name;
    }
    return Hex32(value);
}

// The control codes of ClusterResourceControl, by value: the Windows SDK declares some of them
// only for recent CLUSAPI_VERSION targets, and a recorder must compile for any target. The
// test program static_asserts each value against the SDK's enumerator.
const DWORD kSetSharedVolumeBackupMode = 0x0140029AUL;
const DWORD kEnableSharedVolumeDirectIo = 0x0140028AUL;
const DWORD kDisableSharedVolumeDirectIo = 0x0140028EUL;
const DWORD kSetCsvMaintenanceMode = 0x01400296UL;

inline std::string ControlName(DWORD control) {
    static const Code codes[] = {
        {0x0140029AUL, "CLUSCTL_RESOURCE_SET_SHARED_VOLUME_BACKUP_MODE"},
        {0x0140028AUL, "CLUSCTL_RESOURCE_ENABLE_SHARED_VOLUME_DIRECTIO"},
        {0x0140028EUL, "CLUSCTL_RESOURCE_DISABLE_SHARED_VOLUME_DIRECTIO"},
        {0x01400296UL, "CLUSCTL_RESOURCE_SET_CSV_MAINTENANCE_MODE"},
        {0x01000005UL, "CLUSCTL_RESOURCE_GET_CHARACTERISTICS"},
        {0x01000009UL, "CLUSCTL_RESOURCE_GET_FLAGS"},
        {0x0100000DUL, "CLUSCTL_RESOURCE_GET_CLASS_INFO"},
        {0x01000029UL, "CLUSCTL_RESOURCE_GET_NAME"},
        {0x01000039UL, "CLUSCTL_RESOURCE_GET_ID"},
        {0x0100002DUL, "CLUSCTL_RESOURCE_GET_RESOURCE_TYPE"},
        {0x01000059UL, "CLUSCTL_RESOURCE_GET_COMMON_PROPERTIES"},
        {0x01000081UL, "CLUSCTL_RESOURCE_GET_PRIVATE_PROPERTIES"},
        {0x01000191UL, "CLUSCTL_RESOURCE_STORAGE_GET_DISK_INFO"},
        {0x01000225UL, "CLUSCTL_RESOURCE_STORAGE_GET_SHARED_VOLUME_INFO"},
    };
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); ++i) {
        if (codes[i].value == control) return codes[i].name;
    }
    return Hex32(control);
}

#undef SHADOWSPEC_NAME

// The input structures of the CSV control codes (clusapi.h; MinGW-w64 does not declare them).
struct SharedVolumeBackupMode {
    DWORD BackupState;        // CLUSTER_SHARED_VOLUME_BACKUP_STATE
    DWORD DelayTimerInSecs;
    WCHAR VolumeName[MAX_PATH];
};

struct CsvMaintenanceModeInfo {
    BOOL InMaintenance;
    WCHAR VolumeName[MAX_PATH];
};

// ---------------------------------------------------------------- the system

// "2008r2" for Windows 7 / Server 2008 R2 (6.1), "2012" for 6.2 and later: the two versions the
// specification distinguishes (rules.md, VER rows). RtlGetVersion, because GetVersionEx reports
// what the program's manifest claims rather than the running system.
inline void WindowsVersion(Object& meta) {
    typedef LONG(WINAPI * Get)(OSVERSIONINFOW*);
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    if (!ntdll) return;
    Get get = reinterpret_cast<Get>(reinterpret_cast<void (*)(void)>(GetProcAddress(ntdll, "RtlGetVersion")));
    if (!get) return;
    OSVERSIONINFOW info;
    ZeroMemory(&info, sizeof(info));
    info.dwOSVersionInfoSize = sizeof(info);
    if (get(&info) != 0) return;
    if (info.dwMajorVersion > 6 || (info.dwMajorVersion == 6 && info.dwMinorVersion >= 2)) {
        meta.Str("os", "2012");
    } else if (info.dwMajorVersion == 6 && info.dwMinorVersion == 1) {
        meta.Str("os", "2008r2");
    }
    std::string version;
    AppendNumber(version, info.dwMajorVersion);
    version += '.';
    AppendNumber(version, info.dwMinorVersion);
    version += '.';
    AppendNumber(version, info.dwBuildNumber);
    meta.Str("windows_version", version);
}

// Now, as ISO 8601 UTC with an explicit offset and microseconds.
inline std::string Timestamp() {
    FILETIME now;
    GetSystemTimeAsFileTime(&now);
    SYSTEMTIME t;
    std::string out;
    if (!FileTimeToSystemTime(&now, &t)) return out;
    unsigned long long ticks = (static_cast<unsigned long long>(now.dwHighDateTime) << 32) | now.dwLowDateTime;
    AppendPadded(out, t.wYear, 4);
    out += '-';
    AppendPadded(out, t.wMonth, 2);
    out += '-';
    AppendPadded(out, t.wDay, 2);
    out += 'T';
    AppendPadded(out, t.wHour, 2);
    out += ':';
    AppendPadded(out, t.wMinute, 2);
    out += ':';
    AppendPadded(out, t.wSecond, 2);
    out += '.';
    AppendPadded(out, static_cast<unsigned long>((ticks / 10) % 1000000), 6);
    out += "+00:00";
    return out;
}

inline std::wstring Environment(const wchar_t* name) {
    wchar_t buffer[1024];
    DWORD n = GetEnvironmentVariableW(name, buffer, 1024);
    if (n == 0 || n >= 1024) return std::wstring();
    return std::wstring(buffer, n);
}

}  // namespace detail

// One recorded call, filled in by a wrapper and written by Log::Write.
struct Entry {
    explicit Entry(const char* name) : call(name) {}
    const char* call;
    detail::Object args;
    detail::Object out;
    std::string result;
    std::string status;  // IVssAsync lines only
};

// A log file: the metadata line, then one line per call. Open or not, every method is safe to
// call from any thread; a log that could not be opened writes nothing.
class Log {
public:
    // path: the file (created or truncated); cluster_protocol: "2.0" or "3.0" where the program
    // knows the ClusAPI protocol version of its cluster, else null; node: the number N of the
    // node-N actor of this machine's cluster calls (and of the requesters' args.node).
    explicit Log(const wchar_t* path, const char* cluster_protocol = 0, int node = 1) noexcept
        : file_(INVALID_HANDLE_VALUE), requesters_(0), node_(node > 0 ? node : 1) {
        InitializeCriticalSection(&lock_);
        if (!path || !*path) return;
        DWORD error = GetLastError();
        file_ = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, 0, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, 0);
        if (file_ != INVALID_HANDLE_VALUE) {
            try {
                detail::Object meta;
                detail::WindowsVersion(meta);
                if (cluster_protocol) meta.Str("cluster_protocol", cluster_protocol);
                meta.Str("recorder", "shadowspec_record.h " SHADOWSPEC_RECORD_VERSION);
                meta.Num("pid", GetCurrentProcessId());
                WriteLine("{\"meta\": {" + meta.text() + "}}\n");
            } catch (...) {
            }
        }
        SetLastError(error);
    }

    ~Log() {
        if (file_ != INVALID_HANDLE_VALUE) CloseHandle(file_);
        DeleteCriticalSection(&lock_);
    }

    bool is_open() const noexcept { return file_ != INVALID_HANDLE_VALUE; }
    int node() const noexcept { return node_; }

    // The N of requester-N for a newly created IVssBackupComponents object.
    int NextRequester() noexcept { return static_cast<int>(InterlockedIncrement(&requesters_)); }

    // Writes one line for `entry` made by `actor`; drops it (never throws) when that fails.
    void Write(const std::string& actor, const Entry& entry) noexcept {
        if (!is_open()) return;
        try {
            std::string line = "{\"actor\": ";
            detail::AppendQuoted(line, actor.c_str());
            line += ", \"call\": ";
            detail::AppendQuoted(line, entry.call);
            if (!entry.args.empty()) line += ", \"args\": {" + entry.args.text() + "}";
            line += ", \"result\": ";
            detail::AppendQuoted(line, entry.result.c_str());
            if (!entry.status.empty()) {
                line += ", \"status\": ";
                detail::AppendQuoted(line, entry.status.c_str());
            }
            if (!entry.out.empty()) line += ", \"out\": {" + entry.out.text() + "}";
            std::string ts = detail::Timestamp();
            if (!ts.empty()) {
                line += ", \"ts\": ";
                detail::AppendQuoted(line, ts.c_str());
            }
            line += "}\n";
            WriteLine(line);
        } catch (...) {
        }
    }

private:
    Log(const Log&);
    Log& operator=(const Log&);

    void WriteLine(const std::string& line) noexcept {
        EnterCriticalSection(&lock_);
        const char* data = line.data();
        DWORD left = static_cast<DWORD>(line.size());
        while (left) {
            DWORD written = 0;
            if (!WriteFile(file_, data, left, &written, 0) || written == 0) break;
            data += written;
            left -= written;
        }
        LeaveCriticalSection(&lock_);
    }

    HANDLE file_;
    CRITICAL_SECTION lock_;
    volatile LONG requesters_;
    int node_;
};

// The process's log: SHADOWSPEC_LOG names the file ("{pid}" is replaced by the process id),
// SHADOWSPEC_CLUSTER_PROTOCOL the ClusAPI protocol version ("2.0" or "3.0"), SHADOWSPEC_NODE
// this machine's node number. Opened on first use; never destroyed, so objects released during
// static destruction are still recorded.
inline Log& DefaultLog() noexcept {
    static Log* log = 0;
    static volatile LONG state = 0;  // 0 not opened, 1 opening, 2 ready
    if (InterlockedCompareExchange(&state, 1, 0) == 0) {
        DWORD error = GetLastError();
        Log* made = 0;
        try {
            std::wstring path = detail::Environment(L"SHADOWSPEC_LOG");
            size_t at = path.find(L"{pid}");
            if (at != std::wstring::npos) {
                std::string pid;
                detail::AppendNumber(pid, GetCurrentProcessId());
                path.replace(at, 5, std::wstring(pid.begin(), pid.end()));
            }
            std::wstring protocol = detail::Environment(L"SHADOWSPEC_CLUSTER_PROTOCOL");
            const char* known = protocol == L"2.0" ? "2.0" : protocol == L"3.0" ? "3.0" : 0;
            std::wstring node = detail::Environment(L"SHADOWSPEC_NODE");
            int number = 1;
            if (!node.empty() && node.size() < 6) {
                number = 0;
                for (size_t i = 0; i < node.size() && number >= 0; ++i) {
                    number = (node[i] >= L'0' && node[i] <= L'9') ? number * 10 + (node[i] - L'0') : -1;
                }
                if (number < 1) number = 1;
            }
            made = new (std::nothrow) Log(path.c_str(), known, number);
        } catch (...) {
        }
        if (!made) made = new (std::nothrow) Log(0);
        log = made;
        SetLastError(error);
        InterlockedExchange(&state, 2);
    }
    while (state != 2) Sleep(0);
    static Log closed(0);
    return log ? *log : closed;
}

namespace detail {

// Runs fill(entry) and writes the line, keeping the caller's GetLastError value and swallowing
// everything: recording must not change what the program sees.
template <class Fill>
void Note(Log& log, const std::string& actor, const char* call, const std::string& result, Fill fill) noexcept {
    if (!log.is_open()) return;
    DWORD error = GetLastError();
    try {
        Entry entry(call);
        entry.result = result;
        fill(entry);
        log.Write(actor, entry);
    } catch (...) {
    }
    SetLastError(error);
}

struct NoArgs {
    void operator()(Entry&) const {}
};

}  // namespace detail

// An IVssAsync that records Cancel, Wait, QueryStatus and Release. It knows the
// IVssBackupComponents method that returned it (args.operation). After Wait and Cancel it asks
// the real object's QueryStatus for the status the line carries (trace-format.md: `status` is
// what QueryStatus would put in pHrResult at that point); QueryStatus changes nothing.
class RecordingAsync : public IVssAsync {
public:
    RecordingAsync(IVssAsync* real, Log& log, const std::string& actor, const char* operation) noexcept
        : real_(real), log_(log), actor_(actor), operation_(operation) {}

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
        if (ppv && (IsEqualIID(riid, __uuidof(IUnknown)) || IsEqualIID(riid, __uuidof(IVssAsync)))) {
            *ppv = static_cast<IVssAsync*>(this);
            AddRef();
            return S_OK;
        }
        return real_->QueryInterface(riid, ppv);  // other interfaces: the real object, unrecorded
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return real_->AddRef(); }
    ULONG STDMETHODCALLTYPE Release() override {
        ULONG count = real_->Release();
        std::string text;
        try {
            detail::AppendNumber(text, count);
        } catch (...) {
        }
        const char* operation = operation_;
        detail::Note(log_, actor_, "IUnknown::Release", text, [operation](Entry& e) {
            e.args.Str("interface", "IVssAsync").Str("operation", operation);
        });
        if (count == 0) delete this;
        return count;
    }

    HRESULT STDMETHODCALLTYPE Cancel() override {
        HRESULT hr = real_->Cancel();
        Line("IVssAsync::Cancel", hr, 0);
        return hr;
    }
    HRESULT STDMETHODCALLTYPE Wait(DWORD dwMilliseconds = INFINITE) override {
        HRESULT hr = real_->Wait(dwMilliseconds);
        Line("IVssAsync::Wait", hr, &dwMilliseconds);
        return hr;
    }
    HRESULT STDMETHODCALLTYPE QueryStatus(HRESULT* pHrResult, INT* pReserved) override {
        HRESULT hr = real_->QueryStatus(pHrResult, pReserved);
        const char* operation = operation_;
        detail::Note(log_, actor_, "IVssAsync::QueryStatus", detail::HresultText(hr), [&](Entry& e) {
            e.args.Str("operation", operation);
            if (SUCCEEDED(hr) && pHrResult) e.status = detail::HresultText(*pHrResult);
        });
        return hr;
    }

    IVssAsync* real() const noexcept { return real_; }

private:
    void Line(const char* call, HRESULT hr, const DWORD* wait) noexcept {
        if (!log_.is_open()) return;
        HRESULT status = S_OK;
        DWORD error = GetLastError();
        bool known = SUCCEEDED(real_->QueryStatus(&status, 0));
        SetLastError(error);
        const char* operation = operation_;
        detail::Note(log_, actor_, call, detail::HresultText(hr), [&](Entry& e) {
            e.args.Str("operation", operation);
            if (wait) {
                if (*wait == INFINITE) e.args.Str("dwMilliseconds", "INFINITE"); else e.args.Num("dwMilliseconds", *wait);
            }
            if (known) e.status = detail::HresultText(status);
        });
    }

    virtual ~RecordingAsync() {}

    IVssAsync* real_;
    Log& log_;
    std::string actor_;
    const char* operation_;
};

// IVssBackupComponents forwarding every method to the real object and writing one line per
// call. Its reference count is the real object's: AddRef and Release are forwarded, and the
// wrapper deletes itself when the real count reaches 0.
class RecordingBackupComponents : public IVssBackupComponents {
public:
    // Takes over one reference to `real`; `number` is the N of requester-N.
    RecordingBackupComponents(IVssBackupComponents* real, Log& log, int number) noexcept
        : real_(real), log_(log) {
        try {
            actor_ = "requester-";
            detail::AppendNumber(actor_, static_cast<unsigned long long>(number));
        } catch (...) {
        }
    }

    IVssBackupComponents* real() const noexcept { return real_; }
    const std::string& actor() const noexcept { return actor_; }

    // IUnknown
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) override {
        if (ppv && (IsEqualIID(riid, __uuidof(IUnknown)) || IsEqualIID(riid, __uuidof(IVssBackupComponents)))) {
            *ppv = static_cast<IVssBackupComponents*>(this);
            AddRef();
            return S_OK;
        }
        // IVssBackupComponentsEx..Ex4 and the rest: the real object's, not recorded.
        return real_->QueryInterface(riid, ppv);
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return real_->AddRef(); }
    ULONG STDMETHODCALLTYPE Release() override {
        ULONG count = real_->Release();
        std::string text;
        try {
            detail::AppendNumber(text, count);
        } catch (...) {
        }
        Note("IUnknown::Release", text, [](Entry& e) { e.args.Str("interface", "IVssBackupComponents"); });
        if (count == 0) delete this;
        return count;
    }

    // Backup: initialization and writer metadata
    HRESULT STDMETHODCALLTYPE GetWriterComponentsCount(UINT* pcComponents) override {
        HRESULT hr = real_->GetWriterComponentsCount(pcComponents);
        Note("IVssBackupComponents::GetWriterComponentsCount", hr, [&](Entry& e) {
            if (SUCCEEDED(hr) && pcComponents) e.out.Num("pcComponents", *pcComponents);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE GetWriterComponents(UINT iWriter, IVssWriterComponentsExt** ppWriter) override {
        HRESULT hr = real_->GetWriterComponents(iWriter, ppWriter);
        Note("IVssBackupComponents::GetWriterComponents", hr, [&](Entry& e) { e.args.Num("iWriter", iWriter); });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE InitializeForBackup(BSTR bstrXML = 0) override {
        HRESULT hr = real_->InitializeForBackup(bstrXML);
        Note("IVssBackupComponents::InitializeForBackup", hr, [&](Entry& e) { Document(e, "bstrXML", bstrXML); });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetBackupState(VssBool bSelectComponents, VssBool bBackupBootableSystemState,
                                             VSS_BACKUP_TYPE backupType, VssBool bPartialFileSupport = false) override {
        HRESULT hr = real_->SetBackupState(bSelectComponents, bBackupBootableSystemState, backupType, bPartialFileSupport);
        Note("IVssBackupComponents::SetBackupState", hr, [&](Entry& e) {
            e.args.Bool("bSelectComponents", bSelectComponents != 0)
                .Bool("bBackupBootableSystemState", bBackupBootableSystemState != 0)
                .Str("backupType", detail::BackupTypeName(backupType))
                .Bool("bPartialFileSupport", bPartialFileSupport != 0);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE InitializeForRestore(BSTR bstrXML) override {
        HRESULT hr = real_->InitializeForRestore(bstrXML);
        Note("IVssBackupComponents::InitializeForRestore", hr, [&](Entry& e) { Document(e, "bstrXML", bstrXML); });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetRestoreState(VSS_RESTORE_TYPE restoreType) override {
        HRESULT hr = real_->SetRestoreState(restoreType);
        Note("IVssBackupComponents::SetRestoreState", hr,
             [&](Entry& e) { e.args.Str("restoreType", detail::RestoreTypeName(restoreType)); });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE GatherWriterMetadata(IVssAsync** pAsync) override {
        return Async("IVssBackupComponents::GatherWriterMetadata", real_->GatherWriterMetadata(pAsync), pAsync);
    }
    HRESULT STDMETHODCALLTYPE GetWriterMetadataCount(UINT* pcWriters) override {
        HRESULT hr = real_->GetWriterMetadataCount(pcWriters);
        Note("IVssBackupComponents::GetWriterMetadataCount", hr, [&](Entry& e) {
            if (SUCCEEDED(hr) && pcWriters) e.out.Num("pcWriters", *pcWriters);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE GetWriterMetadata(UINT iWriter, VSS_ID* pidInstance,
                                                IVssExamineWriterMetadata** ppMetadata) override {
        HRESULT hr = real_->GetWriterMetadata(iWriter, pidInstance, ppMetadata);
        Note("IVssBackupComponents::GetWriterMetadata", hr, [&](Entry& e) {
            e.args.Num("iWriter", iWriter);
            if (SUCCEEDED(hr) && pidInstance) e.out.Guid("pidInstance", *pidInstance);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE FreeWriterMetadata() override {
        HRESULT hr = real_->FreeWriterMetadata();
        Note("IVssBackupComponents::FreeWriterMetadata", hr, detail::NoArgs());
        return hr;
    }
    HRESULT STDMETHODCALLTYPE AddComponent(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                           LPCWSTR wszLogicalPath, LPCWSTR wszComponentName) override {
        HRESULT hr = real_->AddComponent(instanceId, writerId, ct, wszLogicalPath, wszComponentName);
        Note("IVssBackupComponents::AddComponent", hr, [&](Entry& e) {
            e.args.Guid("instanceId", instanceId);
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
        });
        return hr;
    }

    // Backup: the shadow copy
    HRESULT STDMETHODCALLTYPE PrepareForBackup(IVssAsync** ppAsync) override {
        return Async("IVssBackupComponents::PrepareForBackup", real_->PrepareForBackup(ppAsync), ppAsync);
    }
    HRESULT STDMETHODCALLTYPE AbortBackup() override {
        HRESULT hr = real_->AbortBackup();
        Note("IVssBackupComponents::AbortBackup", hr, detail::NoArgs());
        return hr;
    }
    HRESULT STDMETHODCALLTYPE GatherWriterStatus(IVssAsync** pAsync) override {
        return Async("IVssBackupComponents::GatherWriterStatus", real_->GatherWriterStatus(pAsync), pAsync);
    }
    HRESULT STDMETHODCALLTYPE GetWriterStatusCount(UINT* pcWriters) override {
        HRESULT hr = real_->GetWriterStatusCount(pcWriters);
        Note("IVssBackupComponents::GetWriterStatusCount", hr, [&](Entry& e) {
            if (SUCCEEDED(hr) && pcWriters) e.out.Num("pcWriters", *pcWriters);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE FreeWriterStatus() override {
        HRESULT hr = real_->FreeWriterStatus();
        Note("IVssBackupComponents::FreeWriterStatus", hr, detail::NoArgs());
        return hr;
    }
    HRESULT STDMETHODCALLTYPE GetWriterStatus(UINT iWriter, VSS_ID* pidInstance, VSS_ID* pidWriter, BSTR* pbstrWriter,
                                              VSS_WRITER_STATE* pnStatus, HRESULT* phResultFailure) override {
        HRESULT hr = real_->GetWriterStatus(iWriter, pidInstance, pidWriter, pbstrWriter, pnStatus, phResultFailure);
        Note("IVssBackupComponents::GetWriterStatus", hr, [&](Entry& e) {
            e.args.Num("iWriter", iWriter);
            if (FAILED(hr)) return;
            if (pidInstance) e.out.Guid("pidInstance", *pidInstance);
            if (pidWriter) e.out.Guid("pidWriter", *pidWriter);
            if (pbstrWriter) e.out.WStr("pbstrWriter", *pbstrWriter);
            if (pnStatus) e.out.Str("pnStatus", detail::WriterStateName(*pnStatus));
            if (phResultFailure) e.out.Str("phResultFailure", detail::HresultText(*phResultFailure));
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetBackupSucceeded(VSS_ID instanceId, VSS_ID writerId, VSS_COMPONENT_TYPE ct,
                                                 LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                 VssBool bSucceded) override {
        HRESULT hr = real_->SetBackupSucceeded(instanceId, writerId, ct, wszLogicalPath, wszComponentName, bSucceded);
        Note("IVssBackupComponents::SetBackupSucceeded", hr, [&](Entry& e) {
            e.args.Guid("instanceId", instanceId);
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
            e.args.Bool("bSucceded", bSucceded != 0);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetBackupOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                               LPCWSTR wszComponentName, LPCWSTR wszBackupOptions) override {
        HRESULT hr = real_->SetBackupOptions(writerId, ct, wszLogicalPath, wszComponentName, wszBackupOptions);
        Note("IVssBackupComponents::SetBackupOptions", hr, [&](Entry& e) {
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
            e.args.WStr("wszBackupOptions", wszBackupOptions);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetSelectedForRestore(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                    LPCWSTR wszComponentName, VssBool bSelectedForRestore) override {
        HRESULT hr = real_->SetSelectedForRestore(writerId, ct, wszLogicalPath, wszComponentName, bSelectedForRestore);
        Note("IVssBackupComponents::SetSelectedForRestore", hr, [&](Entry& e) {
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
            e.args.Bool("bSelectedForRestore", bSelectedForRestore != 0);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetRestoreOptions(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                LPCWSTR wszComponentName, LPCWSTR wszRestoreOptions) override {
        HRESULT hr = real_->SetRestoreOptions(writerId, ct, wszLogicalPath, wszComponentName, wszRestoreOptions);
        Note("IVssBackupComponents::SetRestoreOptions", hr, [&](Entry& e) {
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
            e.args.WStr("wszRestoreOptions", wszRestoreOptions);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetAdditionalRestores(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                    LPCWSTR wszComponentName, VssBool bAdditionalRestores) override {
        HRESULT hr = real_->SetAdditionalRestores(writerId, ct, wszLogicalPath, wszComponentName, bAdditionalRestores);
        Note("IVssBackupComponents::SetAdditionalRestores", hr, [&](Entry& e) {
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
            e.args.Bool("bAdditionalRestores", bAdditionalRestores != 0);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetPreviousBackupStamp(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                     LPCWSTR wszComponentName, LPCWSTR wszPreviousBackupStamp) override {
        HRESULT hr = real_->SetPreviousBackupStamp(writerId, ct, wszLogicalPath, wszComponentName, wszPreviousBackupStamp);
        Note("IVssBackupComponents::SetPreviousBackupStamp", hr, [&](Entry& e) {
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
            e.args.WStr("wszPreviousBackupStamp", wszPreviousBackupStamp);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SaveAsXML(BSTR* pbstrXML) override {
        HRESULT hr = real_->SaveAsXML(pbstrXML);
        Note("IVssBackupComponents::SaveAsXML", hr, [&](Entry& e) {
            if (SUCCEEDED(hr) && pbstrXML && *pbstrXML) e.out.Num("pbstrXML_length", SysStringLen(*pbstrXML));
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE BackupComplete(IVssAsync** ppAsync) override {
        return Async("IVssBackupComponents::BackupComplete", real_->BackupComplete(ppAsync), ppAsync);
    }

    // Restore
    HRESULT STDMETHODCALLTYPE AddAlternativeLocationMapping(VSS_ID writerId, VSS_COMPONENT_TYPE componentType,
                                                            LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                            LPCWSTR wszPath, LPCWSTR wszFilespec, VssBool bRecursive,
                                                            LPCWSTR wszDestination) override {
        HRESULT hr = real_->AddAlternativeLocationMapping(writerId, componentType, wszLogicalPath, wszComponentName,
                                                          wszPath, wszFilespec, bRecursive, wszDestination);
        Note("IVssBackupComponents::AddAlternativeLocationMapping", hr, [&](Entry& e) {
            Component(e, writerId, componentType, wszLogicalPath, wszComponentName, "componentType");
            e.args.WStr("wszPath", wszPath).WStr("wszFilespec", wszFilespec).Bool("bRecursive", bRecursive != 0)
                .WStr("wszDestination", wszDestination);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE AddRestoreSubcomponent(VSS_ID writerId, VSS_COMPONENT_TYPE componentType,
                                                     LPCWSTR wszLogicalPath, LPCWSTR wszComponentName,
                                                     LPCWSTR wszSubComponentLogicalPath, LPCWSTR wszSubComponentName,
                                                     VssBool bRepair) override {
        HRESULT hr = real_->AddRestoreSubcomponent(writerId, componentType, wszLogicalPath, wszComponentName,
                                                   wszSubComponentLogicalPath, wszSubComponentName, bRepair);
        Note("IVssBackupComponents::AddRestoreSubcomponent", hr, [&](Entry& e) {
            Component(e, writerId, componentType, wszLogicalPath, wszComponentName, "componentType");
            e.args.WStr("wszSubComponentLogicalPath", wszSubComponentLogicalPath)
                .WStr("wszSubComponentName", wszSubComponentName).Bool("bRepair", bRepair != 0);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetFileRestoreStatus(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                   LPCWSTR wszComponentName, VSS_FILE_RESTORE_STATUS status) override {
        HRESULT hr = real_->SetFileRestoreStatus(writerId, ct, wszLogicalPath, wszComponentName, status);
        Note("IVssBackupComponents::SetFileRestoreStatus", hr, [&](Entry& e) {
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
            e.args.Str("status", detail::FileRestoreStatusName(status));
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE AddNewTarget(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                           LPCWSTR wszComponentName, LPCWSTR wszPath, LPCWSTR wszFileName,
                                           VssBool bRecursive, LPCWSTR wszAlternatePath) override {
        HRESULT hr = real_->AddNewTarget(writerId, ct, wszLogicalPath, wszComponentName, wszPath, wszFileName,
                                         bRecursive, wszAlternatePath);
        Note("IVssBackupComponents::AddNewTarget", hr, [&](Entry& e) {
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
            e.args.WStr("wszPath", wszPath).WStr("wszFileName", wszFileName).Bool("bRecursive", bRecursive != 0)
                .WStr("wszAlternatePath", wszAlternatePath);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE SetRangesFilePath(VSS_ID writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                                                LPCWSTR wszComponentName, UINT iPartialFile,
                                                LPCWSTR wszRangesFile) override {
        HRESULT hr = real_->SetRangesFilePath(writerId, ct, wszLogicalPath, wszComponentName, iPartialFile, wszRangesFile);
        Note("IVssBackupComponents::SetRangesFilePath", hr, [&](Entry& e) {
            Component(e, writerId, ct, wszLogicalPath, wszComponentName);
            e.args.Num("iPartialFile", iPartialFile).WStr("wszRangesFile", wszRangesFile);
        });
        return hr;
    }
    // The restore-side asyncs are not wrapped: the specification models backups only, and the
    // checker knows IVssAsync lines of the five backup operations (their method lines are kept).
    HRESULT STDMETHODCALLTYPE PreRestore(IVssAsync** ppAsync) override {
        HRESULT hr = real_->PreRestore(ppAsync);
        Note("IVssBackupComponents::PreRestore", hr, detail::NoArgs());
        return hr;
    }
    HRESULT STDMETHODCALLTYPE PostRestore(IVssAsync** ppAsync) override {
        HRESULT hr = real_->PostRestore(ppAsync);
        Note("IVssBackupComponents::PostRestore", hr, detail::NoArgs());
        return hr;
    }

    // Snapshot sets
    HRESULT STDMETHODCALLTYPE SetContext(LONG lContext) override {
        HRESULT hr = real_->SetContext(lContext);
        Note("IVssBackupComponents::SetContext", hr, [&](Entry& e) { e.args.Str("lContext", detail::ContextName(lContext)); });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE StartSnapshotSet(VSS_ID* pSnapshotSetId) override {
        HRESULT hr = real_->StartSnapshotSet(pSnapshotSetId);
        Note("IVssBackupComponents::StartSnapshotSet", hr, [&](Entry& e) {
            if (SUCCEEDED(hr) && pSnapshotSetId) e.out.Guid("pSnapshotSetId", *pSnapshotSetId);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE AddToSnapshotSet(VSS_PWSZ pwszVolumeName, VSS_ID ProviderId, VSS_ID* pidSnapshot) override {
        HRESULT hr = real_->AddToSnapshotSet(pwszVolumeName, ProviderId, pidSnapshot);
        Note("IVssBackupComponents::AddToSnapshotSet", hr, [&](Entry& e) {
            e.args.WStr("pwszVolumeName", pwszVolumeName).Guid("ProviderId", ProviderId);
            if (SUCCEEDED(hr) && pidSnapshot) e.out.Guid("pidSnapshot", *pidSnapshot);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE DoSnapshotSet(IVssAsync** ppAsync) override {
        return Async("IVssBackupComponents::DoSnapshotSet", real_->DoSnapshotSet(ppAsync), ppAsync);
    }
    HRESULT STDMETHODCALLTYPE DeleteSnapshots(VSS_ID SourceObjectId, VSS_OBJECT_TYPE eSourceObjectType,
                                              BOOL bForceDelete, LONG* plDeletedSnapshots,
                                              VSS_ID* pNondeletedSnapshotID) override {
        HRESULT hr = real_->DeleteSnapshots(SourceObjectId, eSourceObjectType, bForceDelete, plDeletedSnapshots,
                                            pNondeletedSnapshotID);
        Note("IVssBackupComponents::DeleteSnapshots", hr, [&](Entry& e) {
            e.args.Guid("SourceObjectId", SourceObjectId).Str("eSourceObjectType", detail::ObjectTypeName(eSourceObjectType))
                .Bool("bForceDelete", bForceDelete != 0);
            if (plDeletedSnapshots) e.out.Int("plDeletedSnapshots", *plDeletedSnapshots);
            if (FAILED(hr) && pNondeletedSnapshotID) e.out.Guid("pNondeletedSnapshotID", *pNondeletedSnapshotID);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE ImportSnapshots(IVssAsync** ppAsync) override {
        HRESULT hr = real_->ImportSnapshots(ppAsync);
        Note("IVssBackupComponents::ImportSnapshots", hr, detail::NoArgs());
        return hr;
    }
    HRESULT STDMETHODCALLTYPE BreakSnapshotSet(VSS_ID SnapshotSetId) override {
        HRESULT hr = real_->BreakSnapshotSet(SnapshotSetId);
        Note("IVssBackupComponents::BreakSnapshotSet", hr, [&](Entry& e) { e.args.Guid("SnapshotSetId", SnapshotSetId); });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE GetSnapshotProperties(VSS_ID SnapshotId, VSS_SNAPSHOT_PROP* pProp) override {
        HRESULT hr = real_->GetSnapshotProperties(SnapshotId, pProp);
        Note("IVssBackupComponents::GetSnapshotProperties", hr, [&](Entry& e) {
            e.args.Guid("SnapshotId", SnapshotId);
            if (SUCCEEDED(hr) && pProp) {
                e.out.WStr("m_pwszSnapshotDeviceObject", pProp->m_pwszSnapshotDeviceObject)
                    .WStr("m_pwszOriginalVolumeName", pProp->m_pwszOriginalVolumeName);
            }
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE Query(VSS_ID QueriedObjectId, VSS_OBJECT_TYPE eQueriedObjectType,
                                    VSS_OBJECT_TYPE eReturnedObjectsType, IVssEnumObject** ppEnum) override {
        HRESULT hr = real_->Query(QueriedObjectId, eQueriedObjectType, eReturnedObjectsType, ppEnum);
        Note("IVssBackupComponents::Query", hr, [&](Entry& e) {
            e.args.Guid("QueriedObjectId", QueriedObjectId)
                .Str("eQueriedObjectType", detail::ObjectTypeName(eQueriedObjectType))
                .Str("eReturnedObjectsType", detail::ObjectTypeName(eReturnedObjectsType));
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE IsVolumeSupported(VSS_ID ProviderId, VSS_PWSZ pwszVolumeName,
                                                BOOL* pbSupportedByThisProvider) override {
        HRESULT hr = real_->IsVolumeSupported(ProviderId, pwszVolumeName, pbSupportedByThisProvider);
        Note("IVssBackupComponents::IsVolumeSupported", hr, [&](Entry& e) {
            e.args.Guid("ProviderId", ProviderId).WStr("pwszVolumeName", pwszVolumeName);
            if (SUCCEEDED(hr) && pbSupportedByThisProvider)
                e.out.Bool("pbSupportedByThisProvider", *pbSupportedByThisProvider != 0);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE DisableWriterClasses(const VSS_ID* rgWriterClassId, UINT cClassId) override {
        HRESULT hr = real_->DisableWriterClasses(rgWriterClassId, cClassId);
        Note("IVssBackupComponents::DisableWriterClasses", hr,
             [&](Entry& e) { e.args.GuidList("rgWriterClassId", rgWriterClassId, cClassId).Num("cClassId", cClassId); });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE EnableWriterClasses(const VSS_ID* rgWriterClassId, UINT cClassId) override {
        HRESULT hr = real_->EnableWriterClasses(rgWriterClassId, cClassId);
        Note("IVssBackupComponents::EnableWriterClasses", hr,
             [&](Entry& e) { e.args.GuidList("rgWriterClassId", rgWriterClassId, cClassId).Num("cClassId", cClassId); });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE DisableWriterInstances(const VSS_ID* rgWriterInstanceId, UINT cInstanceId) override {
        HRESULT hr = real_->DisableWriterInstances(rgWriterInstanceId, cInstanceId);
        Note("IVssBackupComponents::DisableWriterInstances", hr, [&](Entry& e) {
            e.args.GuidList("rgWriterInstanceId", rgWriterInstanceId, cInstanceId).Num("cInstanceId", cInstanceId);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE ExposeSnapshot(VSS_ID SnapshotId, VSS_PWSZ wszPathFromRoot, LONG lAttributes,
                                             VSS_PWSZ wszExpose, VSS_PWSZ* pwszExposed) override {
        HRESULT hr = real_->ExposeSnapshot(SnapshotId, wszPathFromRoot, lAttributes, wszExpose, pwszExposed);
        Note("IVssBackupComponents::ExposeSnapshot", hr, [&](Entry& e) {
            e.args.Guid("SnapshotId", SnapshotId).WStr("wszPathFromRoot", wszPathFromRoot)
                .Str("lAttributes", detail::Hex32(static_cast<unsigned long>(lAttributes))).WStr("wszExpose", wszExpose);
            if (SUCCEEDED(hr) && pwszExposed) e.out.WStr("pwszExposed", *pwszExposed);
        });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE RevertToSnapshot(VSS_ID SnapshotId, BOOL bForceDismount) override {
        HRESULT hr = real_->RevertToSnapshot(SnapshotId, bForceDismount);
        Note("IVssBackupComponents::RevertToSnapshot", hr,
             [&](Entry& e) { e.args.Guid("SnapshotId", SnapshotId).Bool("bForceDismount", bForceDismount != 0); });
        return hr;
    }
    HRESULT STDMETHODCALLTYPE QueryRevertStatus(VSS_PWSZ pwszVolume, IVssAsync** ppAsync) override {
        HRESULT hr = real_->QueryRevertStatus(pwszVolume, ppAsync);
        Note("IVssBackupComponents::QueryRevertStatus", hr, [&](Entry& e) { e.args.WStr("pwszVolume", pwszVolume); });
        return hr;
    }

private:
    virtual ~RecordingBackupComponents() {}

    template <class Fill>
    void Note(const char* call, HRESULT hr, Fill fill) noexcept {
        if (!log_.is_open()) return;
        std::string result;
        try {
            result = detail::HresultText(hr);
        } catch (...) {
            return;
        }
        detail::Note(log_, actor_, call, result, fill);
    }
    template <class Fill>
    void Note(const char* call, const std::string& result, Fill fill) noexcept {
        detail::Note(log_, actor_, call, result, fill);
    }

    // The line of a method that returns an IVssAsync, and the async wrapped so its calls are
    // recorded with args.operation = call.
    HRESULT Async(const char* call, HRESULT hr, IVssAsync** ppAsync) noexcept {
        Note(call, hr, detail::NoArgs());
        if (SUCCEEDED(hr) && ppAsync && *ppAsync && log_.is_open()) {
            RecordingAsync* wrapped = new (std::nothrow) RecordingAsync(*ppAsync, log_, actor_, call);
            if (wrapped) *ppAsync = wrapped;
        }
        return hr;
    }

    static void Document(Entry& e, const char* name, BSTR xml) {
        // A saved document can be megabytes: its length is recorded, not its text.
        if (xml) e.args.Str(name, "<document>").Num("bstrXML_length", SysStringLen(xml));
        else e.args.Str(name, static_cast<const char*>(0));
    }

    static void Component(Entry& e, const VSS_ID& writerId, VSS_COMPONENT_TYPE ct, LPCWSTR wszLogicalPath,
                          LPCWSTR wszComponentName, const char* typeName = "ct") {
        e.args.Guid("writerId", writerId).Str(typeName, detail::ComponentTypeName(ct))
            .WStr("wszLogicalPath", wszLogicalPath).WStr("wszComponentName", wszComponentName);
    }

    IVssBackupComponents* real_;
    Log& log_;
    std::string actor_;
};

// Records the CreateVssBackupComponents line (with its result `hr`) and, when it succeeded,
// replaces *ppBackup by a recording wrapper that takes over its reference. Returns hr.
inline HRESULT Record(HRESULT hr, IVssBackupComponents** ppBackup, Log& log = DefaultLog()) noexcept {
    if (!log.is_open()) return hr;
    int number = log.NextRequester();
    std::string actor;
    try {
        actor = "requester-";
        detail::AppendNumber(actor, static_cast<unsigned long long>(number));
    } catch (...) {
        return hr;
    }
    int node = log.node();
    detail::Note(log, actor, "CreateVssBackupComponents", detail::HresultText(hr),
                 [node](Entry& e) { e.args.Num("node", static_cast<unsigned long long>(node)); });
    if (SUCCEEDED(hr) && ppBackup && *ppBackup) {
        RecordingBackupComponents* wrapped = new (std::nothrow) RecordingBackupComponents(*ppBackup, log, number);
        if (wrapped) *ppBackup = wrapped;
    }
    return hr;
}

// Wraps an IVssBackupComponents the program already has (taking over its reference) and records
// a CreateVssBackupComponents line for it; returns the pointer to use from now on.
inline IVssBackupComponents* Record(IVssBackupComponents* backup, Log& log = DefaultLog()) noexcept {
    if (backup) Record(S_OK, &backup, log);
    return backup;
}

// Drop-in for ::CreateVssBackupComponents: creates the object, records the call and wraps it.
inline HRESULT CreateVssBackupComponents(IVssBackupComponents** ppBackup, Log& log = DefaultLog()) noexcept {
    return Record(::CreateVssBackupComponents(ppBackup), ppBackup, log);
}

// ---------------------------------------------------------------- cluster calls
//
// Each wrapper has the signature of the function it records, plus a Log (the process's by
// default). Call them qualified (shadowspec::ClusterResourceControl) in place of the originals.
// The Record* templates take the function to call, so a test can pass a fake.

namespace detail {

inline std::string NodeActor(const Log& log) {
    std::string actor = "node-";
    AppendNumber(actor, static_cast<unsigned long long>(log.node()));
    return actor;
}

// The volume name in a fixed WCHAR[MAX_PATH] field or a bare string: never read past `bytes`.
inline void VolumeField(Object& args, const WCHAR* name, size_t bytes) {
    size_t limit = bytes / sizeof(WCHAR);
    size_t n = 0;
    while (n < limit && name[n]) ++n;
    if (n == limit) return;  // not terminated inside the buffer: not a name
    args.WStr("VolumeName", name, n);
}

}  // namespace detail

template <class Call>
DWORD RecordClusterResourceControl(Log& log, Call call, HRESOURCE hResource, HNODE hHostNode, DWORD dwControlCode,
                                   LPVOID lpInBuffer, DWORD cbInBufferSize, LPVOID lpOutBuffer, DWORD cbOutBufferSize,
                                   LPDWORD lpBytesReturned) noexcept {
    DWORD result = call(hResource, hHostNode, dwControlCode, lpInBuffer, cbInBufferSize, lpOutBuffer, cbOutBufferSize,
                        lpBytesReturned);
    if (!log.is_open()) return result;
    try {
        detail::Note(log, detail::NodeActor(log), "ClusterResourceControl", detail::Win32Text(result), [&](Entry& e) {
            e.args.Str("control", detail::ControlName(dwControlCode));
            const unsigned char* in = static_cast<const unsigned char*>(lpInBuffer);
            if (!in) return;
            if (dwControlCode == detail::kSetSharedVolumeBackupMode &&
                cbInBufferSize >= 2 * sizeof(DWORD)) {
                const detail::SharedVolumeBackupMode* mode = static_cast<const detail::SharedVolumeBackupMode*>(lpInBuffer);
                if (mode->BackupState == 0) e.args.Str("BackupState", "VolumeBackupNone");
                else if (mode->BackupState == 1) e.args.Str("BackupState", "VolumeBackupInProgress");
                else e.args.Num("BackupState", mode->BackupState);
                e.args.Num("DelayTimerInSecs", mode->DelayTimerInSecs);
                detail::VolumeField(e.args, mode->VolumeName, cbInBufferSize - 2 * sizeof(DWORD));
            } else if (dwControlCode == detail::kSetCsvMaintenanceMode && cbInBufferSize >= sizeof(BOOL)) {
                const detail::CsvMaintenanceModeInfo* info = static_cast<const detail::CsvMaintenanceModeInfo*>(lpInBuffer);
                e.args.Bool("InMaintenance", info->InMaintenance != 0);
                detail::VolumeField(e.args, info->VolumeName, cbInBufferSize - sizeof(BOOL));
            } else if (dwControlCode == detail::kEnableSharedVolumeDirectIo ||
                       dwControlCode == detail::kDisableSharedVolumeDirectIo) {
                detail::VolumeField(e.args, static_cast<const WCHAR*>(lpInBuffer), cbInBufferSize);
            }
        });
    } catch (...) {
    }
    return result;
}

template <class Call>
DWORD RecordClusterPrepareSharedVolumeForBackup(Log& log, Call call, LPCWSTR lpszFileName, LPWSTR lpszVolumePathName,
                                                LPDWORD lpcchVolumePathName, LPWSTR lpszVolumeName,
                                                LPDWORD lpcchVolumeName) noexcept {
    DWORD pathRoom = lpcchVolumePathName ? *lpcchVolumePathName : 0;
    DWORD nameRoom = lpcchVolumeName ? *lpcchVolumeName : 0;
    DWORD result = call(lpszFileName, lpszVolumePathName, lpcchVolumePathName, lpszVolumeName, lpcchVolumeName);
    if (!log.is_open()) return result;
    try {
        detail::Note(log, detail::NodeActor(log), "ClusterPrepareSharedVolumeForBackup", detail::Win32Text(result),
                     [&](Entry& e) {
            e.args.WStr("lpszFileName", lpszFileName);
            if (result == ERROR_SUCCESS) {
                if (lpszVolumePathName && pathRoom) e.out.WStr("lpszVolumePathName", lpszVolumePathName, pathRoom);
                if (lpszVolumeName && nameRoom) e.out.WStr("lpszVolumeName", lpszVolumeName, nameRoom);
            }
            if (result == ERROR_SUCCESS || result == ERROR_MORE_DATA) {
                if (lpcchVolumePathName) e.out.Num("lpcchVolumePathName", *lpcchVolumePathName);
                if (lpcchVolumeName) e.out.Num("lpcchVolumeName", *lpcchVolumeName);
            }
        });
    } catch (...) {
    }
    return result;
}

template <class Call>
DWORD RecordClusterClearBackupStateForSharedVolume(Log& log, Call call, LPCWSTR lpszVolumePathName) noexcept {
    DWORD result = call(lpszVolumePathName);
    if (!log.is_open()) return result;
    try {
        detail::Note(log, detail::NodeActor(log), "ClusterClearBackupStateForSharedVolume", detail::Win32Text(result),
                     [&](Entry& e) { e.args.WStr("lpszVolumePathName", lpszVolumePathName); });
    } catch (...) {
    }
    return result;
}

// BOOL-returning: result "true" or "false"; on failure `out.error` is GetLastError's code.
template <class Call>
BOOL RecordClusterGetVolumeNameForVolumeMountPoint(Log& log, Call call, LPCWSTR lpszVolumeMountPoint,
                                                   LPWSTR lpszVolumeName, DWORD cchBufferLength) noexcept {
    BOOL ok = call(lpszVolumeMountPoint, lpszVolumeName, cchBufferLength);
    if (!log.is_open()) return ok;
    DWORD error = GetLastError();
    try {
        detail::Note(log, detail::NodeActor(log), "ClusterGetVolumeNameForVolumeMountPoint", ok ? "true" : "false",
                     [&](Entry& e) {
            e.args.WStr("lpszVolumeMountPoint", lpszVolumeMountPoint);
            if (ok && lpszVolumeName && cchBufferLength) e.out.WStr("lpszVolumeName", lpszVolumeName, cchBufferLength);
            if (!ok) e.out.Str("error", detail::Win32Text(error));
        });
    } catch (...) {
    }
    SetLastError(error);
    return ok;
}

inline DWORD ClusterResourceControl(HRESOURCE hResource, HNODE hHostNode, DWORD dwControlCode, LPVOID lpInBuffer,
                                    DWORD cbInBufferSize, LPVOID lpOutBuffer, DWORD cbOutBufferSize,
                                    LPDWORD lpBytesReturned, Log& log = DefaultLog()) noexcept {
    return RecordClusterResourceControl(log, ::ClusterResourceControl, hResource, hHostNode, dwControlCode, lpInBuffer,
                                        cbInBufferSize, lpOutBuffer, cbOutBufferSize, lpBytesReturned);
}

inline DWORD ClusterPrepareSharedVolumeForBackup(LPCWSTR lpszFileName, LPWSTR lpszVolumePathName,
                                                 LPDWORD lpcchVolumePathName, LPWSTR lpszVolumeName,
                                                 LPDWORD lpcchVolumeName, Log& log = DefaultLog()) noexcept {
    return RecordClusterPrepareSharedVolumeForBackup(log, ::ClusterPrepareSharedVolumeForBackup, lpszFileName,
                                                     lpszVolumePathName, lpcchVolumePathName, lpszVolumeName,
                                                     lpcchVolumeName);
}

inline DWORD ClusterClearBackupStateForSharedVolume(LPCWSTR lpszVolumePathName, Log& log = DefaultLog()) noexcept {
    return RecordClusterClearBackupStateForSharedVolume(log, ::ClusterClearBackupStateForSharedVolume, lpszVolumePathName);
}

inline BOOL ClusterGetVolumeNameForVolumeMountPoint(LPCWSTR lpszVolumeMountPoint, LPWSTR lpszVolumeName,
                                                    DWORD cchBufferLength, Log& log = DefaultLog()) noexcept {
    return RecordClusterGetVolumeNameForVolumeMountPoint(log, ::ClusterGetVolumeNameForVolumeMountPoint,
                                                         lpszVolumeMountPoint, lpszVolumeName, cchBufferLength);
}

}  // namespace shadowspec

#endif  // SHADOWSPEC_RECORD_H
