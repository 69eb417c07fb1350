// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/sim/Simulator.h"
#include "widgets/models/Refreshable.h"
#include "widgets/models/RowTableModel.h"

#include <array>
#include <memory>
#include <vector>

namespace offerscope::models {

class SessionDocument;

/// The discard queue of every segment, walked once per state and shared by the five offered lists of
/// a view, each of which is a slice of it. The walk costs one pass over the offers; a step that
/// touched no offered or pending allocation (and kept the policy) costs nothing.
class OfferedOrder {
public:
    /// The lists, in the order the view shows them: the queue, then the LOW, NORMAL, HIGH and AUTO lists.
    static constexpr std::size_t kLists = 5;
    static std::size_t listOf(OfferPriority priority) { return static_cast<std::size_t>(priority); }

    struct Entry {
        std::uint32_t handle = 0;
        std::uint32_t slot = 0; ///< its row in the document's AllocationSnapshot
        std::uint32_t queueRank = 0; ///< 1 = the first victim of its segment; 0 = pending
        std::uint32_t levelRank = 0; ///< 1 = the first victim of its level in its segment; 0 = pending
        /// The pressure in its segment that discards it: the bytes in memory of every offer before it and
        /// its own (0: not in memory, pressure passes it by; a pending offer: once its fence retires).
        std::uint64_t after = 0;
        OfferPriority level = OfferPriority::None; ///< the level list it is on (AUTO mapped)
        bool autoOffer = false; ///< made with AUTO: on the AUTO list too
    };
    struct Totals {
        std::uint64_t bytes = 0;
        std::uint64_t pending = 0;
        std::uint64_t largest = 0;
    };

    /// Brings the order to the state the document shows.
    void update(const SessionDocument& document);
    const std::vector<Entry>& entries() const { return m_entries; }
    const Totals& totals(std::size_t list) const { return m_totals[list]; }
    /// Grows whenever the entries, or a row of the snapshot one of them shows, may have changed.
    std::uint64_t version() const { return m_version; }

private:
    bool unchangedSinceBuilt(const SessionDocument& document) const;

    std::vector<Entry> m_entries;
    std::vector<D3DKMT_HANDLE> m_handles; ///< one level's discard order while walking (kept: no allocation)
    std::array<Totals, kLists> m_totals {};
    std::uint64_t m_version = 0;
    /// The snapshot the entries were built from (its world and revision) and the policy then.
    const void* m_world = nullptr;
    std::uint64_t m_revision = ~std::uint64_t { 0 };
    sim::SimPolicy m_policy;
};

/// A row of an offered list: which allocation, where it stands. What the allocation is (its name,
/// size, state) is read from the document's snapshot when shown, not copied.
struct OfferedRow {
    std::uint32_t key = 0; ///< allocation handle
    std::uint32_t slot = 0; ///< its row in the document's AllocationSnapshot
    std::uint32_t rank = 0; ///< 1 = the first victim of its segment (and level, in a level's list); 0 = pending
    std::uint64_t after = 0; ///< see OfferedOrder::Entry::after
    bool operator==(const OfferedRow& other) const = default;
};

/// What a refresh of an offered list compares row by row: the allocation. Ranks and pressures are
/// rewritten apart: one offer more near the front of a queue moves the rank of every row after it,
/// which is one signal over those rows, not a change per row.
struct SameOfferedAllocation {
    bool operator()(const OfferedRow& a, const OfferedRow& b) const { return a.key == b.key && a.slot == b.slot; }
};

/// Offered allocations in the order VidMm would discard them. The queue (priority None): every offer
/// of a segment across the levels, LOW, then NORMAL, then HIGH, AUTO offers at the level each maps to,
/// and each pending offer where it lands once its GPU work retires. For LOW, NORMAL and HIGH: that
/// level of the queue (AUTO offers mapped there included); for AUTO: the AUTO offers. Segment by
/// segment, first victim on top.
class OfferedListModel final : public RowTableModel<OfferedRow, SameOfferedAllocation>, public Refreshable {
    Q_OBJECT
public:
    enum Column { Rank, Name, Process, Level, Size, OfferedAt, After, Segment, Status, ColumnCount };

    /// `priority` None: the whole queue. Lists that share `order` walk the queue once between them.
    OfferedListModel(const SessionDocument* document, OfferPriority priority, QObject* parent = nullptr,
        std::shared_ptr<OfferedOrder> order = {});

    OfferPriority priority() const { return m_priority; }
    bool isQueue() const { return m_priority == OfferPriority::None; }
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh() override;
    std::uint64_t totalBytes() const { return m_totalBytes; }
    std::uint64_t pendingBytes() const { return m_pendingBytes; }
    int rowOf(std::uint32_t handle) const;
    /// The allocation a row shows, as the document's snapshot has it now.
    const sim::AllocationSummary& summaryOf(const OfferedRow& row) const;

signals:
    void totalsChanged(quint64 bytes, int count);

private:
    const SessionDocument* m_document;
    OfferPriority m_priority;
    std::uint64_t m_totalBytes = 0;
    std::uint64_t m_pendingBytes = 0;
    std::uint64_t m_largest = 0; ///< the largest size shown: the size bars are drawn against it
    std::shared_ptr<OfferedOrder> m_order;
    /// The order's version and the snapshot's world and revision the rows were built from.
    std::uint64_t m_seenVersion = ~std::uint64_t { 0 };
    const void* m_seenWorld = nullptr;
    std::uint64_t m_seenRevision = ~std::uint64_t { 0 };
    std::vector<std::uint8_t> m_marked; ///< by snapshot slot: scratch for signalling rewritten rows
    /// dataChanged for the rows whose allocation the snapshot rewrote since the rows were last built.
    void signalRewrittenRows(bool known);
};

/// The discard queue, then the LOW, NORMAL, HIGH and AUTO lists of a document (what the offered
/// lists view shows), owned by `parent`.
std::array<OfferedListModel*, 5> makeOfferedLists(const SessionDocument* document, QObject* parent);

} // namespace offerscope::models
