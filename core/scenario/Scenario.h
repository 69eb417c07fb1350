// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// A scenario: the world (adapter, policy, processes with devices and paging queues) and the steps a
// lesson or a demo performs on it. Files name things; the runner maps names to the handles the engine
// gives. The file format is documented in docs/scenarios.md.

#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/d3dkmt/NtStatus.h"
#include "core/scenario/JsonPositions.h"
#include "core/sim/SimTypes.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace offerscope::scenario {

struct DeviceSpec {
    std::string name;
    std::vector<std::string> pagingQueues;
};

struct ProcessSpec {
    std::string name;
    std::optional<std::uint64_t> budget[kSegmentGroupCount];
    sim::ProcessVerifier verifier;
    std::vector<DeviceSpec> devices;
};

enum class StepKind : std::uint8_t {
    Say,
    Create,
    Destroy,
    Lock,
    Unlock,
    Gpu,
    Advance,
    Wait,
    MakeResident,
    Evict,
    Offer,
    Reclaim,
    SetPriority,
    Pressure,
    Budget,
    Reserve,
    Trim,
    SystemPressure,
    Policy,
    Verifier,
    ProcessVerifier,
    Expect,
    Quiz, ///< a question for the audience, answered by the engine at that point
};
std::string_view stepKindName(StepKind kind);

/// How an offer or reclaim names its allocations (the two arrays of the D3DKMT structs).
enum class HandleArray : std::uint8_t {
    Allocations, ///< HandleList
    Resources, ///< pResources
    Both, ///< both arrays set: the mistake Windows rejects
    Neither, ///< neither array set: also rejected
};

/// One expectation of an "expect" step.
struct Expectation {
    enum class Kind : std::uint8_t { Status, Result, State, SegmentTotal, ProcessTotal };
    Kind kind = Kind::Status;
    TextPosition at;
    NtStatus status = NtStatus::Success; ///< Status: of the previous call step
    std::string name; ///< Result/State: allocation name; totals: segment or process name
    ReclaimResult result = ReclaimResult::Ok;
    sim::AllocationState state = sim::AllocationState::Resident;
    std::string field; ///< totals: which figure ("offered", "usage", ...)
    MemorySegmentGroup group = MemorySegmentGroup::Local; ///< ProcessTotal
    std::uint64_t bytes = 0;
};

struct Step {
    StepKind kind = StepKind::Say;
    TextPosition at; ///< where the step starts in the file
    std::size_t index = 0; ///< position in the steps array
    std::string text; ///< say
    std::string name; ///< create/destroy/lock/unlock: the resource or allocation
    std::vector<std::string> names; ///< allocations or resources the step uses
    std::string device; ///< the device to call on ("" = the one that owns the allocations)
    std::string queue; ///< paging queue ("" = the device's first)
    std::string process; ///< pressure/budget/reserve/trim/processVerifier
    std::uint64_t bytes = 0; ///< sizes
    std::uint32_t count = 1; ///< create: allocations per resource
    std::optional<UINT> numAllocations; ///< offer/reclaim: NumAllocations as written (to show mismatches)
    std::uint32_t segment = 0;
    UINT residencyPriority = ResidencyPriority::kNormal;
    std::vector<UINT> priorities; ///< setPriority / makeResident PriorityList
    bool present = false;
    bool resident = true;
    std::uint64_t microseconds = 0; ///< advance, gpu duration
    OfferPriority priority = OfferPriority::Low;
    UINT flags = 0; ///< offer, makeResident, evict, trim flags
    HandleArray by = HandleArray::Allocations;
    int reclaimVersion = 2;
    MemorySegmentGroup group = MemorySegmentGroup::Local;
    sim::SimPolicy policy; ///< policy: the whole policy after the step
    sim::VerifierSwitches verifier;
    sim::ProcessVerifier processVerifier;
    std::vector<Expectation> expectations;
    /// quiz: what is asked (nextVictim, reclaim, trim); the question is `text`, the choices `names`,
    /// the lesson's answer `name` (checked against the engine's), the allocation or process asked about
    /// `subject`, the segment `segment`, the new budget of a trim `bytes`.
    std::string quiz;
    std::string subject;
};

struct Scenario {
    std::string fileName;
    std::string title;
    std::string description;
    sim::AdapterConfig adapter;
    sim::SimPolicy policy;
    sim::VerifierSwitches verifier;
    std::vector<ProcessSpec> processes;
    std::vector<Step> steps;
};

} // namespace offerscope::scenario
