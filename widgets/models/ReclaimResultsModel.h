// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/Refreshable.h"
#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/d3dkmt/NtStatus.h"
#include "widgets/models/RowTableModel.h"

#include <QString>
#include <array>
#include <optional>

namespace offerscope::models {

class SessionDocument;

struct ReclaimRow {
    std::uint64_t key = 0; ///< the event's sequence number
    std::uint64_t time = 0;
    std::uint32_t allocation = 0;
    QString name;
    std::uint32_t process = 0;
    OfferPriority priority = OfferPriority::None; ///< of the offer being reclaimed
    std::optional<ReclaimResult> result; ///< none: the call failed
    NtStatus status = NtStatus::Success;
    std::uint64_t fence = 0;
    std::uint64_t causeSeq = 0; ///< the Discarded / Decommitted event that lost the content
    bool operator==(const ReclaimRow& other) const { return key == other.key && result == other.result; }
};

/// Every reclaim of the run: per allocation its result (OK / DISCARDED / NOT_COMMITTED), the paging
/// fence, and the event that discarded the content; failed reclaim calls with their status.
class ReclaimResultsModel final : public RowTableModel<ReclaimRow>, public Refreshable {
    Q_OBJECT
public:
    enum Column { Seq, Time, Allocation, Process, Priority, Result, Fence, LostBy, ColumnCount };

    explicit ReclaimResultsModel(const SessionDocument* document, QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh() override;
    /// Results per offer priority (index 1..4) and result (OK, DISCARDED, NOT_COMMITTED).
    std::array<std::array<int, 3>, 5> countsByPriority() const;

private:
    const SessionDocument* m_document;
    std::uint64_t m_revision = 0;
    std::uint64_t m_scanned = 0; ///< events up to this seq are in the rows
};

} // namespace offerscope::models
