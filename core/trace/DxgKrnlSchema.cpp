// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/trace/DxgKrnlSchema.h"

#include <algorithm>
#include <cstdio>

namespace offerscope::trace {

namespace {

using F = FieldSpec;
constexpr FieldType U8 = FieldType::UInt8, U16 = FieldType::UInt16, U32 = FieldType::UInt32, U64 = FieldType::UInt64,
                    Ptr = FieldType::Pointer, Bool = FieldType::Boolean;

// Field lists as the provider's manifest gives them (names and inTypes). Where a newer version adds
// fields at the end that this table does not list, the listed ones are decoded and the rest ignored.
constexpr F kOfferStart[] = { { "hAllocationHandle", Ptr }, { "Priority", U8 } };
constexpr F kOffer[] = { { "hAllocationHandle", Ptr } };
constexpr F kOfferStop[] = { { "hGlobalAllocationHandle", Ptr } };
constexpr F kReportOffer[] = { { "hGlobalAllocationHandle", Ptr }, { "State", U8 }, { "Priority", U8 } };
constexpr F kReclaim[] = { { "hAllocationHandle", Ptr }, { "Priority", U8 }, { "State", U8 } };
constexpr F kDiscard[] = { { "hGlobalAllocationHandle", Ptr } };
constexpr F kEvict[] = { { "hGlobalAllocationHandle", Ptr } };
// Versions 0 and 1 (1 from 11 24H2) have all three; version 2 (11 24H2 on) only the handle.
constexpr F kPageIn[] = { { "hAllocationHandle", Ptr }, { "uiSegmentId", U32 }, { "uliOffset", U64 } };
constexpr F kSetPriority[] = { { "hAllocationHandle", Ptr }, { "Priority", U32 } };
constexpr F kVidMmResidency[] = { { "pVidMmAlloc", Ptr }, { "ResidencyCount", U32 } };
constexpr F kMakeResidentStart[]
    = { { "pPagingQueue", Ptr }, { "pSyncObject", Ptr }, { "NumAllocations", U32 }, { "Flags", U32 } };
constexpr F kMakeResidentStop[] = { { "Status", U32 }, { "NumBytesToTrim", U64 }, { "PagingFenceValue", U64 } };
constexpr F kBudgetChange[] = { { "NewBudget", U64 }, { "OldBudget", U64 }, { "pDxgAdapter", Ptr },
    { "ProcessId", U32 }, { "PhysicalAdapterIndex", U16 }, { "NewPriorityBand", U8 }, { "OldPriorityBand", U8 },
    { "NewVisibilityState", U8 }, { "OldVisibilityState", U8 }, { "MemorySegmentGroup", U8 } };
constexpr F kUsageChange[] = { { "NewUsage", U64 }, { "OldUsage", U64 }, { "pDxgAdapter", Ptr }, { "ProcessId", U32 },
    { "PhysicalAdapterIndex", U16 }, { "MemorySegmentGroup", U8 } };
constexpr F kCommitmentChange[] = { { "Commitment", U64 }, { "OldCommitment", U64 }, { "pDxgAdapter", Ptr },
    { "ProcessId", U32 }, { "PhysicalAdapterIndex", U16 }, { "MemorySegmentGroup", U8 } };
constexpr F kTrimWnf[]
    = { { "pDxgAdapter", Ptr }, { "ProcessId", Ptr }, { "TrimFlags", U32 }, { "NumBytesToTrim", U64 } };
// Version 1 (10 1607 on) added MemorySegmentGroup to the 9 fields of version 0.
constexpr F kReportSegment[] = { { "ulSegmentId", U32 }, { "pDxgAdapter", Ptr }, { "BaseAddress", U64 },
    { "CpuTranslatedAddress", U64 }, { "Size", U64 }, { "NbOfBanks", U32 }, { "Flags", U32 }, { "CommitLimit", U64 },
    { "SystemMemoryEndAddress", Ptr }, { "MemorySegmentGroup", U8 } };
constexpr F kTotalBytesResident[] = { { "DxgAdapter", Ptr }, { "SegmentId", U32 }, { "TotalBytesResident", U64 } };
constexpr F kReportCommitted[]
    = { { "hProcessId", Ptr }, { "hDevice", Ptr }, { "hAllocationHandle", Ptr }, { "Pinned", Bool },
          { "EvictionResource", Bool }, { "Size", U64 }, { "ulSegmentId", U32 }, { "SegmentOffset", U64 } };
// Adapter allocations as version 4 (Windows 11 26H1) has them. Each version added one field at the
// end: version 1 (10 1511) has the first 27, 2 (1607) 28, 3 (1703 to 11 25H2) 29.
constexpr F kAdapterAllocation[] = { { "hProcessId", Ptr }, { "hDevice", Ptr }, { "pDxgAdapter", Ptr },
    { "Flags", U32 }, { "allocSize", U64 }, { "ulAlignment", U32 }, { "dwReadSegment", U32 }, { "dwWriteSegment", U32 },
    { "PreferredSegment", U32 }, { "HintedBank", U32 }, { "dwEvictionSegment", U32 }, { "Priority", U32 },
    { "hVidMmGlobalAlloc", Ptr }, { "hDxgGlobalAlloc", Ptr }, { "hDxgSharedResource", Ptr }, { "UsageVersion", U32 },
    { "UsageFlags", U32 }, { "Format", U32 }, { "SwizzledFormat", U32 }, { "ByteOffset", U32 }, { "Width", U32 },
    { "Height", U32 }, { "Pitch", U32 }, { "Depth", U32 }, { "SlicePitch", U32 }, { "BackingStoreWasPinned", Bool },
    { "pSectionObject", Ptr }, { "PhysicalAdapterIndex", U16 }, { "PageTableOrDirectory", Bool },
    { "PhysicalAllocation", Ptr } };
constexpr std::span<const F> adapterAllocation(int version)
{
    return std::span<const F>(kAdapterAllocation).first(static_cast<std::size_t>(26 + version));
}
// Device allocations: version 2 (11 21H2 on) added hOtherPartitionHandle to the 12 fields of version 1.
constexpr F kDeviceAllocation[] = { { "hProcessId", Ptr }, { "hDevice", Ptr }, { "pDxgAdapter", Ptr },
    { "hVidMmAlloc", Ptr }, { "hVidMmGlobalAlloc", Ptr }, { "hDxgResource", Ptr }, { "hDxgSharedResource", Ptr },
    { "hThunkAllocation", Ptr }, { "hThunkResource", Ptr }, { "PrivateRuntimeResourceHandle", Ptr },
    { "pVirtualAddress", Ptr }, { "hProcessAllocDetails", Ptr }, { "hOtherPartitionHandle", U32 } };
constexpr std::span<const F> deviceAllocation(int version)
{
    return std::span<const F>(kDeviceAllocation).first(static_cast<std::size_t>(11 + version));
}
constexpr F kTerminate[] = { { "hVidMmAlloc", Ptr } };
constexpr F kProcess[]
    = { { "DxgProcess", Ptr }, { "ProcessId", Ptr }, { "HostProcessHandle", U32 }, { "ProcessFlags", U32 } };
constexpr F kPerformanceWarning[] = { { "Event", U32 } };

using K = EventKind;
constexpr EventSpec kEvents[] = {
    { 33, 1, K::AdapterAllocationStart, "AdapterAllocationStart", adapterAllocation(1) },
    { 33, 2, K::AdapterAllocationStart, "AdapterAllocationStart", adapterAllocation(2) },
    { 33, 3, K::AdapterAllocationStart, "AdapterAllocationStart", adapterAllocation(3) },
    { 33, 4, K::AdapterAllocationStart, "AdapterAllocationStart", adapterAllocation(4) },
    { 34, 1, K::AdapterAllocationStop, "AdapterAllocationStop", adapterAllocation(1) },
    { 34, 2, K::AdapterAllocationStop, "AdapterAllocationStop", adapterAllocation(2) },
    { 34, 3, K::AdapterAllocationStop, "AdapterAllocationStop", adapterAllocation(3) },
    { 34, 4, K::AdapterAllocationStop, "AdapterAllocationStop", adapterAllocation(4) },
    { 35, 1, K::AdapterAllocationRundown, "AdapterAllocationDCStart", adapterAllocation(1) },
    { 35, 2, K::AdapterAllocationRundown, "AdapterAllocationDCStart", adapterAllocation(2) },
    { 35, 3, K::AdapterAllocationRundown, "AdapterAllocationDCStart", adapterAllocation(3) },
    { 35, 4, K::AdapterAllocationRundown, "AdapterAllocationDCStart", adapterAllocation(4) },
    { 36, 1, K::DeviceAllocationStart, "DeviceAllocationStart", deviceAllocation(1) },
    { 36, 2, K::DeviceAllocationStart, "DeviceAllocationStart", deviceAllocation(2) },
    { 37, 1, K::DeviceAllocationStop, "DeviceAllocationStop", deviceAllocation(1) },
    { 37, 2, K::DeviceAllocationStop, "DeviceAllocationStop", deviceAllocation(2) },
    { 38, 1, K::DeviceAllocationRundown, "DeviceAllocationDCStart", deviceAllocation(1) },
    { 38, 2, K::DeviceAllocationRundown, "DeviceAllocationDCStart", deviceAllocation(2) },
    { 39, 0, K::TerminateAllocation, "TerminateAllocation", kTerminate },
    { 46, 0, K::SetPriority, "SetAllocationPriority", kSetPriority },
    { 73, 0, K::PageIn, "PageInAllocation", kPageIn },
    { 73, 1, K::PageIn, "PageInAllocation", kPageIn },
    { 73, 2, K::PageIn, "PageInAllocation", std::span<const F>(kPageIn).first(1) },
    { 74, 0, K::Evict, "EvictAllocation", kEvict },
    { 78, 0, K::ReportSegment, "ReportSegment", std::span<const F>(kReportSegment).first(9) },
    { 78, 1, K::ReportSegment, "ReportSegment_V1", kReportSegment },
    { 80, 0, K::ReportCommittedAllocation, "ReportCommittedAllocation", kReportCommitted },
    { 104, 0, K::PerformanceWarning, "PerformanceWarning", kPerformanceWarning },
    { 186, 0, K::OfferStart, "OfferAllocationStart", kOfferStart },
    { 187, 0, K::Offer, "OfferAllocation", kOffer },
    { 188, 0, K::OfferStop, "OfferAllocationStop", kOfferStop },
    { 189, 0, K::ReportOffer, "ReportOfferAllocation", kReportOffer },
    { 190, 0, K::Reclaim, "ReclaimAllocation", kReclaim },
    { 191, 0, K::Discard, "DiscardAllocation", kDiscard },
    { 274, 0, K::TotalBytesResident, "TotalBytesResidentInSegment", kTotalBytesResident },
    { 320, 0, K::VidMmMakeResident, "VidMmMakeResident", kVidMmResidency },
    { 321, 0, K::VidMmEvict, "VidMmEvict", kVidMmResidency },
    { 338, 0, K::MakeResidentStart, "MakeResidentStart", kMakeResidentStart },
    { 339, 0, K::MakeResidentStop, "MakeResidentStop", kMakeResidentStop },
    { 366, 0, K::BudgetChange, "VidMmProcessBudgetChange", kBudgetChange },
    { 367, 0, K::UsageChange, "VidMmProcessUsageChange", kUsageChange },
    { 371, 0, K::CommitmentChange, "VidMmProcessCommitmentChange", kCommitmentChange },
    { 471, 0, K::ProcessStart, "ProcessStart", kProcess },
    { 491, 0, K::ProcessRundown, "ProcessDCStart", kProcess },
    // 11 25H2 used id 1158 version 0 for DdiQueryMonitorDescriptorStart (a display event of another
    // length): only a payload of exactly these fields' size is taken for the trim notification.
    { 1158, 0, K::TrimNotification, "VidMmTrimWnfProcess", kTrimWnf, true },
};

} // namespace

std::string guidText(const Guid& g)
{
    char text[40];
    std::snprintf(text, sizeof text, "{%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", g.data1, g.data2, g.data3,
        g.data4[0], g.data4[1], g.data4[2], g.data4[3], g.data4[4], g.data4[5], g.data4[6], g.data4[7]);
    return text;
}

std::string_view fieldTypeName(FieldType type)
{
    switch (type) {
    case FieldType::UInt8:
        return "UInt8";
    case FieldType::UInt16:
        return "UInt16";
    case FieldType::UInt32:
        return "UInt32";
    case FieldType::UInt64:
        return "UInt64";
    case FieldType::Pointer:
        return "Pointer";
    case FieldType::Boolean:
        return "Boolean";
    }
    return "?";
}

std::span<const EventSpec> dxgKrnlSchema()
{
    return kEvents;
}

const EventSpec* findEvent(std::uint16_t id, std::uint8_t version)
{
    // Sorted by (id, version): a binary search.
    const auto* it = std::lower_bound(std::begin(kEvents), std::end(kEvents), std::pair { id, version },
        [](const EventSpec& e, const std::pair<std::uint16_t, std::uint8_t>& key) {
            return e.id != key.first ? e.id < key.first : e.version < key.second;
        });
    return it != std::end(kEvents) && it->id == id && it->version == version ? it : nullptr;
}

bool knowsEventId(std::uint16_t id)
{
    return std::any_of(std::begin(kEvents), std::end(kEvents), [id](const EventSpec& e) { return e.id == id; });
}

int fieldIndex(const EventSpec& spec, std::string_view name)
{
    for (std::size_t i = 0; i < spec.fields.size(); ++i)
        if (spec.fields[i].name == name)
            return static_cast<int>(i);
    return -1;
}

std::string_view offerPriorityText(std::uint64_t value)
{
    switch (value) {
    case 1:
        return "LOW";
    case 2:
        return "NORMAL";
    case 3:
        return "HIGH";
    case 4:
        return "AUTO"; // the manifest's VidMmOfferPriorityMaximum
    default:
        return "";
    }
}

std::string_view offerStateText(std::uint64_t value)
{
    switch (value) {
    case 0:
        return "NOT_OFFERED";
    case 1:
        return "OFFER_PENDING";
    case 2:
        return "OFFERED";
    case 3:
        return "DISCARDED";
    default:
        return "";
    }
}

std::string_view performanceWarningText(std::uint64_t value)
{
    switch (value) {
    case 0x14:
        return "COULD_NOT_PROCESS_OFFER";
    case 0x15:
        return "COULD_NOT_PROCESS_RECLAIM";
    default:
        return "";
    }
}

} // namespace offerscope::trace
