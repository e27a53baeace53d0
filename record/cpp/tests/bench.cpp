// Recording overhead per call: N calls of IVssBackupComponents::GetWriterMetadataCount (a call
// with an out-parameter, so its line has "out") direct to the fake, through the wrapper with no
// log, and through the wrapper writing a log; prints nanoseconds per call for each.
//
//   bench.exe [N]      (run_scenarios.py builds it; README gives the command and the figure)
#include "fake_vss.h"

#include <cstdio>
#include <cstdlib>

namespace {

double Seconds(LARGE_INTEGER from, LARGE_INTEGER to) {
    LARGE_INTEGER frequency;
    QueryPerformanceFrequency(&frequency);
    return static_cast<double>(to.QuadPart - from.QuadPart) / static_cast<double>(frequency.QuadPart);
}

double PerCall(IVssBackupComponents* backup, long n) {
    UINT writers = 0;
    LARGE_INTEGER start, stop;
    QueryPerformanceCounter(&start);
    for (long i = 0; i < n; ++i) backup->GetWriterMetadataCount(&writers);
    QueryPerformanceCounter(&stop);
    return Seconds(start, stop) * 1e9 / static_cast<double>(n);
}

}  // namespace

int main(int argc, char** argv) {
    long n = argc > 1 ? std::atol(argv[1]) : 200000;
    if (n < 1) n = 1;
    fake::Script script;
    IVssBackupComponents* direct = 0;
    fake::Create(script, &direct);
    shadowspec::Log closed(0);
    IVssBackupComponents* unlogged = 0;
    shadowspec::Record(fake::Create(script, &unlogged), &unlogged, closed);
    shadowspec::Log log(L"bench.jsonl");
    IVssBackupComponents* recorded = 0;
    shadowspec::Record(fake::Create(script, &recorded), &recorded, log);
    PerCall(direct, n / 10 + 1);  // warm up
    double base = PerCall(direct, n);
    double off = PerCall(unlogged, n);
    double on = PerCall(recorded, n);
    std::printf("calls %ld\ndirect_ns %.1f\nno_log_ns %.1f\nrecorded_ns %.1f\noverhead_ns %.1f\n", n, base, off, on,
                on - base);
    direct->Release();
    unlogged->Release();
    recorded->Release();
    return 0;
}
