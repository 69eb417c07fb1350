// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/d3dkmt/NtStatus.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace offerscope::events {

/// What happened.
enum class EventKind : std::uint8_t {
    ProcessCreated,
    DeviceCreated,
    PagingQueueCreated,
    ResourceCreated,
    ResourceDestroyed,
    MadeResident,
    Evicted,
    OfferPending,
    Offered,
    Reclaimed,
    Discarded,
    Decommitted,
    Locked,
    Unlocked,
    GpuWorkSubmitted,
    GpuWorkRetired,
    PagingDone,
    DeviceRemoved,
    BudgetChanged,
    TrimNotification,
    ReservationChanged,
    Pressure,
    SettingChanged,
    CallFailed,
    Narration, ///< words for the audience (a lesson's "say")
    Queried, ///< a live source answered a query (telemetry, capabilities): what it said, not a change
};
std::string_view eventKindName(EventKind kind);

/// Why it happened.
enum class CauseKind : std::uint8_t {
    Setup, ///< the scenario built the world (process, device, adapter)
    Call, ///< a D3DKMT call of the application
    Pressure, ///< VidMm needed memory (see PressureSource)
    Fence, ///< GPU or paging work retired
    Verifier, ///< a verifier switch forced it
};
std::string_view causeKindName(CauseKind cause);

/// Where memory pressure came from (domain reference, section 4).
enum class PressureSource : std::uint8_t {
    None,
    OtherProcessCommit, ///< another process committed memory in the segment
    BudgetShrink, ///< the process' budget became smaller than its usage
    OverBudget, ///< the process asked for more than its budget; its own offers go first
    ReclaimNeedsMemory, ///< a reclaim of discarded content needs its memory back
    MakeResidentNeedsMemory, ///< MakeResident (or create) needs room in the segment
    GpuWorkNeedsMemory, ///< GPU work references an evicted allocation on the residency list
    SystemCommit, ///< the system is short of commit: AllowDecommit offers are decommitted
    TrimProcessCommitment, ///< the process asked to give back commitment
};
std::string_view pressureSourceName(PressureSource source);

/// The D3DKMT (or simulator) entry point behind an event.
enum class ApiCall : std::uint8_t {
    None,
    CreateAllocation,
    DestroyAllocation,
    OfferAllocations,
    ReclaimAllocations,
    ReclaimAllocations2,
    MakeResident,
    Evict,
    Lock,
    Unlock,
    SubmitCommand,
    SetAllocationPriority,
    QueryVideoMemoryInfo,
    ChangeVideoMemoryReservation,
    QueryStatistics,
    QueryProcessOfferInfo,
    TrimProcessCommitment,
};
/// "D3DKMTOfferAllocations" and so on.
std::string_view apiCallName(ApiCall call);

/// One transition of the model, with enough context to explain it to a student.
struct Event {
    std::uint64_t seq = 0; ///< 1-based position in the whole run (also counted while logging is off)
    std::uint64_t time = 0; ///< simulated microseconds
    EventKind kind = EventKind::SettingChanged;
    CauseKind cause = CauseKind::Setup;
    ApiCall call = ApiCall::None;
    PressureSource pressure = PressureSource::None;
    std::uint64_t causeSeq = 0; ///< the Pressure event that led to this one (0: none)
    D3DKMT_HANDLE process = 0;
    D3DKMT_HANDLE device = 0;
    std::int32_t segment = -1; ///< segment index, -1 when not about one segment
    std::uint64_t bytes = 0;
    NtStatus status = NtStatus::Success;
    OfferPriority priority = OfferPriority::None;
    std::optional<ReclaimResult> result;
    std::uint64_t fence = 0; ///< reclaim: the PagingFenceValue returned (0: none, e.g. ReclaimAllocations v1)
    std::vector<D3DKMT_HANDLE> allocations;
    std::string explanation; ///< one sentence in plain words
    std::string callText; ///< the D3DKMT call as a driver developer writes it (call events only)
};

} // namespace offerscope::events
