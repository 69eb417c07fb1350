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
    const auto* model = qobject_cast<const AllocationsModel*>(sourceModel());
    if (model == nullptr || sourceParent.isValid())
        return true;
    const sim::AllocationSummary& a = model->rows()[static_cast<std::size_t>(sourceRow)].summary;
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

} // namespace offerscope::models
