// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The events of the Microsoft-Windows-DxgKrnl ETW provider that tell how VidMm handled offers,
// reclaims, discards, residency, budgets and allocations: one table, by event id and version, with
// each field's name and type as the provider's manifest gives them. Both readers of recordings (the
// .etl reader and the tracerpt XML reader) decode through it, so they yield the same events.

#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace offerscope::trace {

/// A GUID as Windows lays it out: Data1, Data2, Data3 little-endian, then eight bytes as stored.
struct Guid {
    std::uint32_t data1 = 0;
    std::uint16_t data2 = 0;
    std::uint16_t data3 = 0;
    std::uint8_t data4[8] = {};
    friend bool operator==(const Guid&, const Guid&) = default;
    friend auto operator<=>(const Guid&, const Guid&) = default;
};
/// "{802ec45a-1e99-4b83-9920-87c98277ba9d}"
std::string guidText(const Guid& guid);

/// Microsoft-Windows-DxgKrnl, {802ec45a-1e99-4b83-9920-87c98277ba9d}.
inline constexpr Guid kDxgKrnlProvider { 0x802ec45a, 0x1e99, 0x4b83,
    { 0x99, 0x20, 0x87, 0xc9, 0x82, 0x77, 0xba, 0x9d } };

/// A field's type in the payload (the manifest's inType). Pointer is 4 or 8 bytes as the event's
/// header says; Boolean is a 4-byte BOOL.
enum class FieldType : std::uint8_t { UInt8, UInt16, UInt32, UInt64, Pointer, Boolean };
std::string_view fieldTypeName(FieldType type);

struct FieldSpec {
    std::string_view name;
    FieldType type;
};

/// What an event means for the offer model.
enum class EventKind : std::uint8_t {
    OfferStart, ///< 186 OfferAllocationStart: an allocation handle offered at a priority
    Offer, ///< 187 OfferAllocation
    OfferStop, ///< 188 OfferAllocationStop
    ReportOffer, ///< 189 ReportOfferAllocation: an offer's state changed
    Reclaim, ///< 190 ReclaimAllocation: with the state the offer was found in
    Discard, ///< 191 DiscardAllocation
    Evict, ///< 74 EvictAllocation
    PageIn, ///< 73 PageInAllocation
    SetPriority, ///< 46 SetAllocationPriority
    VidMmMakeResident, ///< 320
    VidMmEvict, ///< 321
    MakeResidentStart, ///< 338
    MakeResidentStop, ///< 339
    BudgetChange, ///< 366 VidMmProcessBudgetChange
    UsageChange, ///< 367 VidMmProcessUsageChange
    CommitmentChange, ///< 371 VidMmProcessCommitmentChange
    TrimNotification, ///< 1158 VidMmTrimWnfProcess
    ReportSegment, ///< 78 ReportSegment_V1
    TotalBytesResident, ///< 274 TotalBytesResidentInSegment
    ReportCommittedAllocation, ///< 80
    AdapterAllocationStart, ///< 33
    AdapterAllocationStop, ///< 34
    AdapterAllocationRundown, ///< 35 (DCStart: existed when the recording started)
    DeviceAllocationStart, ///< 36
    DeviceAllocationStop, ///< 37
    DeviceAllocationRundown, ///< 38
    TerminateAllocation, ///< 39
    ProcessStart, ///< 471
    ProcessRundown, ///< 491
    PerformanceWarning, ///< 104
};

struct EventSpec {
    std::uint16_t id;
    std::uint8_t version;
    EventKind kind;
    std::string_view name;
    std::span<const FieldSpec> fields;
    /// The payload must be exactly the fields' size: the same id and version meant another event in
    /// some Windows release. Otherwise bytes beyond the fields (added by a later release) are ignored.
    bool exact = false;
};

/// Every event of the table, in id order.
std::span<const EventSpec> dxgKrnlSchema();
/// The event of this id and version; nullptr when the table does not know it.
const EventSpec* findEvent(std::uint16_t id, std::uint8_t version);
/// Whether the table knows the id in some version.
bool knowsEventId(std::uint16_t id);
/// A field's index in the event's field list, or -1.
int fieldIndex(const EventSpec& spec, std::string_view name);

/// Value maps of the manifest.
std::string_view offerPriorityText(std::uint64_t value); ///< 1 Low ... 4 the API's AUTO
std::string_view offerStateText(std::uint64_t value); ///< 0 NOT_OFFERED ... 3 DISCARDED
/// PerformanceWarning's Event: 0x14 COULD_NOT_PROCESS_OFFER, 0x15 COULD_NOT_PROCESS_RECLAIM, else "".
std::string_view performanceWarningText(std::uint64_t value);

} // namespace offerscope::trace
