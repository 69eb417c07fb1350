// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/d3dkmt/D3dkmtTypes.h"
#include "core/sim/SimTypes.h"

#include <QSortFilterProxyModel>
#include <optional>

namespace offerscope::models {

class AllocationsModel;

/// Search and filters over the allocations table (process, state, priority, segment); sorts by the
/// raw values of SortRole.
class AllocationFilterModel final : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit AllocationFilterModel(QObject* parent = nullptr);

    void setSearchText(const QString& text); ///< name or handle contains the text (any case)
    void setProcess(std::optional<std::uint32_t> process);
    void setState(std::optional<sim::AllocationState> state);
    /// A requested priority (AUTO matches AUTO offers; LOW/NORMAL/HIGH also match AUTO mapped there).
    void setPriority(std::optional<OfferPriority> priority);
    void setSegment(std::optional<std::uint32_t> segment);

    void setSourceModel(QAbstractItemModel* model) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    AllocationsModel* m_allocations = nullptr; ///< the source, when it is the allocations table
    QString m_search;
    std::optional<std::uint32_t> m_process;
    std::optional<sim::AllocationState> m_state;
    std::optional<OfferPriority> m_priority;
    std::optional<std::uint32_t> m_segment;
};

} // namespace offerscope::models
