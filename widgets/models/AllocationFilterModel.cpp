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

namespace {

/// The SortRole value of a numeric column, as AllocationsModel::data() gives it; false for the
/// columns that sort by text (name, process).
bool sortKey(const sim::AllocationSummary& a, int column, std::uint64_t& key)
{
    switch (column) {
    case AllocationsModel::Handle:
        key = a.handle;
        return true;
    case AllocationsModel::Segment:
        key = a.segment;
        return true;
    case AllocationsModel::Size:
        key = a.size;
        return true;
    case AllocationsModel::State:
        key = static_cast<std::uint64_t>(a.state);
        return true;
    case AllocationsModel::Priority:
        key = static_cast<std::uint64_t>(a.requestedPriority) * 8 + static_cast<std::uint64_t>(a.effectivePriority);
        return true;
    case AllocationsModel::OfferedAt:
        key = a.requestedPriority != OfferPriority::None ? a.offerTime : 0;
        return true;
    case AllocationsModel::Residency:
        key = a.residencyPriority;
        return true;
    case AllocationsModel::Flags:
        key = std::uint64_t { a.lockCount } * 4 + (a.gpuBusy ? 2 : 0) + (a.resident ? 0 : 1);
        return true;
    default:
        return false;
    }
}

} // namespace

bool AllocationFilterModel::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    // The numbers themselves instead of two QVariants from data() per comparison: sorting and
    // keeping sorted 100,000 rows makes millions of comparisons.
    const auto* model = qobject_cast<const AllocationsModel*>(sourceModel());
    if (model != nullptr && sortRole() == SortRole && left.column() == right.column() && !left.parent().isValid()
        && !right.parent().isValid()) {
        const int rows = model->rowCount();
        std::uint64_t a = 0, b = 0;
        if (left.row() < rows && right.row() < rows && sortKey(model->summaryAt(left.row()), left.column(), a)
            && sortKey(model->summaryAt(right.row()), right.column(), b))
            return a < b;
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

} // namespace offerscope::models
