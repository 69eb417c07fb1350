// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/AllocationFilterModel.h"

#include "widgets/models/AllocationsModel.h"
#include "widgets/models/Roles.h"

namespace offerscope::models {

AllocationFilterModel::AllocationFilterModel(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SortRole);
    setDynamicSortFilter(true);
}

void AllocationFilterModel::setSearchText(const QString& text)
{
    m_search = text.trimmed();
    invalidateFilter();
}

void AllocationFilterModel::setProcess(std::optional<std::uint32_t> process)
{
    m_process = process;
    invalidateFilter();
}

void AllocationFilterModel::setState(std::optional<sim::AllocationState> state)
{
    m_state = state;
    invalidateFilter();
}

void AllocationFilterModel::setPriority(std::optional<OfferPriority> priority)
{
    m_priority = priority;
    invalidateFilter();
}

void AllocationFilterModel::setSegment(std::optional<std::uint32_t> segment)
{
    m_segment = segment;
    invalidateFilter();
}

bool AllocationFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    const AllocationsModel* model = m_allocations;
    if (model == nullptr || sourceParent.isValid())
        return true;
    const sim::AllocationSummary& a = model->summaryAt(sourceRow);
    if (m_process && a.process != *m_process)
        return false;
    if (m_state && a.state != *m_state)
        return false;
    if (m_segment && a.segment != *m_segment)
        return false;
    if (m_priority && a.requestedPriority != *m_priority
        && !(a.requestedPriority == OfferPriority::Auto && a.effectivePriority == *m_priority))
        return false;
    if (!m_search.isEmpty()) {
        const QString name = model->index(sourceRow, AllocationsModel::Name).data().toString();
        const QString handle = model->index(sourceRow, AllocationsModel::Handle).data().toString();
        if (!name.contains(m_search, Qt::CaseInsensitive) && !handle.contains(m_search, Qt::CaseInsensitive))
            return false;
    }
    return true;
}

void AllocationFilterModel::setSourceModel(QAbstractItemModel* model)
{
    m_allocations = qobject_cast<AllocationsModel*>(model);
    if (m_allocations != nullptr)
        m_allocations->setSortKeyColumn(sortColumn());
    QSortFilterProxyModel::setSourceModel(model);
}

void AllocationFilterModel::sort(int column, Qt::SortOrder order)
{
    // The table keeps the keys of the column sorted by, one number per row in one array: sorting a
    // million rows compares them there, not in rows spread over tens of megabytes.
    if (m_allocations != nullptr)
        m_allocations->setSortKeyColumn(column);
    QSortFilterProxyModel::sort(column, order);
}

bool AllocationFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    // The numbers themselves instead of two QVariants from data() per comparison: sorting and
    // keeping sorted 100,000 rows makes millions of comparisons. (A table has no parents.)
    if (m_allocations != nullptr && sortRole() == SortRole && left.column() == right.column()) {
        std::uint64_t a = 0, b = 0;
        if (m_allocations->sortKeyAt(left.row(), left.column(), a) && m_allocations->sortKeyAt(right.row(), right.column(), b))
            return a < b;
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace offerscope::models
