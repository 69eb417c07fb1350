// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/sim/Simulator.h"
#include "widgets/models/Refreshable.h"
#include "widgets/models/RowTableModel.h"

#include <array>

namespace offerscope::models {

class SessionDocument;

struct OfferedRow {
    std::uint32_t key = 0; ///< allocation handle
    std::uint32_t rank = 0; ///< 1 = the first victim of its segment (and level, in a level's list); 0 = pending
    /// The pressure in its segment that discards it: the bytes in memory of every offer before it and
    /// its own (0: not in memory, pressure passes it by; a pending offer: once its fence retires).
    std::uint64_t after = 0;
    sim::AllocationSummary summary;
    bool operator==(const OfferedRow& other) const
    {
        return rank == other.rank && after == other.after && summary == other.summary;
    }
};

/// Offered allocations in the order VidMm would discard them. The queue (priority None): every offer
/// of a segment across the levels, LOW, then NORMAL, then HIGH, AUTO offers at the level each maps to,
/// and each pending offer where it lands once its GPU work retires. For LOW, NORMAL and HIGH: that
/// level of the queue (AUTO offers mapped there included); for AUTO: the AUTO offers. Segment by
/// segment, first victim on top.
class OfferedListModel final : public RowTableModel<OfferedRow>, public Refreshable {
    Q_OBJECT
public:
    enum Column { Rank, Name, Process, Level, Size, OfferedAt, After, Segment, Status, ColumnCount };

    /// `priority` None: the whole queue.
    OfferedListModel(const SessionDocument* document, OfferPriority priority, QObject* parent = nullptr);

    OfferPriority priority() const { return m_priority; }
    bool isQueue() const { return m_priority == OfferPriority::None; }
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh() override;
    std::uint64_t totalBytes() const { return m_totalBytes; }
    std::uint64_t pendingBytes() const { return m_pendingBytes; }
    int rowOf(std::uint32_t handle) const;

signals:
    void totalsChanged(quint64 bytes, int count);

private:
    const SessionDocument* m_document;
    OfferPriority m_priority;
    std::uint64_t m_totalBytes = 0;
    std::uint64_t m_pendingBytes = 0;
    std::uint64_t m_largest = 0; ///< the largest size shown: the size bars are drawn against it
    /// The snapshot the rows were built from (its world and revision) and the policy then.
    const void* m_seenWorld = nullptr;
    std::uint64_t m_seenRevision = ~std::uint64_t { 0 };
    sim::SimPolicy m_seenPolicy;
    /// Nothing the list shows can differ from the rows built at m_seenRevision.
    bool unchangedSinceSeen() const;
};

/// The discard queue, then the LOW, NORMAL, HIGH and AUTO lists of a document (what the offered
/// lists view shows), owned by `parent`.
std::array<OfferedListModel*, 5> makeOfferedLists(const SessionDocument* document, QObject* parent);

} // namespace offerscope::models
