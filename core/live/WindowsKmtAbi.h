// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The gdi32 D3DKMT argument structs the Windows backend passes itself, in the x64 layout of
// d3dkmthk.h (checked below), with the Windows types of <windows.h>. The structs the model shares
// with the simulator (D3DKMT_QUERYSTATISTICS, D3DKMT_QUERYVIDEOMEMORYINFO) are passed as they are:
// their layouts are checked here too.

#ifndef _WIN32
#error "WindowsKmtAbi.h is for the Windows build"
#endif

#include "core/d3dkmt/D3dkmtStructs.h"

#include <cstddef>
#include <windows.h>

namespace offerscope::live {

/// Every D3DKMT export takes one argument struct and returns an NTSTATUS.
using KmtEntry = LONG(APIENTRY*)(void*);

struct KmtOpenAdapterFromLuid {
    ::LUID AdapterLuid; ///< in
    UINT hAdapter; ///< out
};
struct KmtCloseAdapter {
    UINT hAdapter;
};
struct KmtAdapterInfo {
    UINT hAdapter;
    ::LUID AdapterLuid;
    ULONG NumOfSources;
    BOOL bPrecisePresentRegionsPreferred;
};
struct KmtEnumAdapters2 {
    ULONG NumAdapters; ///< in: capacity of pAdapters (0 to ask the count); out: adapters
    KmtAdapterInfo* pAdapters;
};

static_assert(sizeof(KmtOpenAdapterFromLuid) == 12 && offsetof(KmtOpenAdapterFromLuid, hAdapter) == 8);
static_assert(sizeof(KmtAdapterInfo) == 20 && offsetof(KmtAdapterInfo, AdapterLuid) == 4);
static_assert(sizeof(KmtEnumAdapters2) == 16 && offsetof(KmtEnumAdapters2, pAdapters) == 8);
static_assert(sizeof(D3DKMT_QUERYSTATISTICS) == 0x328);
static_assert(offsetof(D3DKMT_QUERYSTATISTICS, AdapterLuid) == 4);
static_assert(offsetof(D3DKMT_QUERYSTATISTICS, hProcess) == 0x10);
static_assert(offsetof(D3DKMT_QUERYSTATISTICS, QueryResult) == 0x18);
static_assert(offsetof(D3DKMT_QUERYSTATISTICS, QuerySegment) == 0x320);
static_assert(sizeof(D3DKMT_QUERYVIDEOMEMORYINFO) == 0x38);
static_assert(offsetof(D3DKMT_QUERYVIDEOMEMORYINFO, Budget) == 0x10);
static_assert(offsetof(D3DKMT_QUERYVIDEOMEMORYINFO, PhysicalAdapterIndex) == 0x30);

} // namespace offerscope::live
