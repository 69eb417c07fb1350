// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/ReclaimResultsModel.h"

#include "widgets/models/Format.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SessionDocument.h"

#include <QBrush>
#include <QFont>
#include <algorithm>

namespace offerscope::models {

ReclaimResultsModel::ReclaimResultsModel(const SessionDocument* document, QObject* parent)
    : RowTableModel(parent)
    , m_document(document)
{
    connect(document, &SessionDocument::loaded, this, [this] {
        m_scanned = 0;
        m_revision = m_document->hasSession() ? m_document->revision() : 0;
        resetRows({});
    });
}

int ReclaimResultsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void ReclaimResultsModel::refresh()
{
    if (!m_document->hasSession()) {
        m_scanned = 0;
        if (!rows().empty())
            resetRows({});
        return;
    }
    const events::EventLog& log = m_document->eventLog();
    const std::uint64_t unchanged = std::min(m_document->unchangedEventsSince(m_revision), log.lastSeq());
    m_revision = m_document->revision();
    // Keep the rows of events that are still the same (a prefix: rows are in event order), then scan
    // the events after them. The kept rows are not copied: the sync compares them with themselves.
    const std::vector<ReclaimRow>& existing = rows();
    const auto kept = static_cast<std::size_t>(std::partition_point(existing.begin(), existing.end(),
                                                   [unchanged](const ReclaimRow& r) { return r.key <= unchanged; })
        - existing.begin());
    std::vector<ReclaimRow> fresh;
    const std::uint64_t from = std::min(m_scanned, unchanged) + 1;
    for (std::uint64_t seq = from; seq <= log.lastSeq(); ++seq) {
        const events::Event* e = log.bySeq(seq);
        if (e == nullptr)
            continue;
        const bool reclaimCall
            = e->call == events::ApiCall::ReclaimAllocations || e->call == events::ApiCall::ReclaimAllocations2;
        // A reclaim with its result (a recording's too: it logs the result, not which call version ran),
        // or a reclaim call that failed.
        if (e->kind == events::EventKind::Reclaimed && e->result) {
            ReclaimRow row;
            row.key = e->seq;
            row.time = e->time;
            row.allocation = e->allocations.empty() ? 0 : e->allocations.front();
            row.name = m_document->allocationName(row.allocation);
            row.process = e->process;
            row.priority = e->priority;
            row.result = e->result;
            row.fence = e->fence;
            row.causeSeq = e->causeSeq;
            fresh.push_back(std::move(row));
        } else if (reclaimCall && e->kind == events::EventKind::CallFailed) {
            ReclaimRow row;
            row.key = e->seq;
            row.time = e->time;
            row.process = e->process;
            row.status = e->status;
            row.name = QString::fromStdString(e->explanation);
            fresh.push_back(std::move(row));
        }
    }
    m_scanned = log.lastSeq();
    const auto row = [&existing, &fresh, kept](
                         std::size_t i) -> const ReclaimRow& { return i < kept ? existing[i] : fresh[i - kept]; };
    const auto key = [&row](std::size_t i) { return row(i).key; };
    syncRowsFrom(kept + fresh.size(), key, row);
}

std::array<std::array<int, 3>, 5> ReclaimResultsModel::countsByPriority() const
{
    std::array<std::array<int, 3>, 5> counts {};
    for (const ReclaimRow& r : rows())
        if (r.result && static_cast<std::size_t>(r.priority) < counts.size())
            ++counts[static_cast<std::size_t>(r.priority)][static_cast<std::size_t>(*r.result)];
    return counts;
}

QVariant ReclaimResultsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ReclaimRow& r = rows()[static_cast<std::size_t>(index.row())];
    switch (role) {
    case SeqRole:
        return quint64(r.key);
    case CauseSeqRole:
        return quint64(r.causeSeq);
    case HandleRole:
        return r.allocation;
    case Qt::DisplayRole:
        switch (index.column()) {
        case Seq:
            return QStringLiteral("#%1").arg(r.key);
        case Time:
            return timeText(r.time);
        case Allocation:
            return r.name;
        case Process:
            return r.process == 0 ? QString() : m_document->processName(r.process);
        case Priority:
            return priorityText(r.priority);
        case Result:
            return r.result ? resultText(*r.result)
                            : QStringLiteral("failed: %1").arg(toQString(ntStatusName(r.status)));
        case Fence:
            return r.fence == 0 ? QString() : QString::number(r.fence);
        case LostBy:
            return r.causeSeq == 0 ? QString() : tr("→ event #%1").arg(r.causeSeq);
        }
        break;
    case SortRole:
        switch (index.column()) {
        case Seq:
            return quint64(r.key);
        case Time:
            return quint64(r.time);
        case Priority:
            return static_cast<int>(r.priority);
        case Result:
            return r.result ? static_cast<int>(*r.result) : 9;
        case Fence:
            return quint64(r.fence);
        case LostBy:
            return quint64(r.causeSeq);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ForegroundRole:
        if (index.column() == Result)
            return QBrush(r.result ? resultColor(*r.result) : QColor(Qt::darkRed));
        if (index.column() == LostBy)
            return QBrush(QColor(0x1a, 0x5f, 0xb4));
        break;
    case Qt::FontRole:
        if (index.column() == Result || (index.column() == LostBy && r.causeSeq != 0)) {
            QFont font;
            font.setBold(index.column() == Result);
            font.setUnderline(index.column() == LostBy);
            return font;
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == Result && r.result) {
            switch (*r.result) {
            case ReclaimResult::Ok:
                return tr("OK: the offer was not discarded; the content is intact.");
            case ReclaimResult::Discarded:
                return tr("DISCARDED: the memory is back (committed again) but the content was lost while "
                          "offered. The application must regenerate it.")
                    + QStringLiteral("<br>") + glossary(QStringLiteral("discarded"));
            case ReclaimResult::NotCommitted:
                return tr("NOT_COMMITTED: the backing store was decommitted; the allocation is dead and must be "
                          "recreated.")
                    + QStringLiteral("<br>") + glossary(QStringLiteral("decommitted"));
            }
        }
        if (index.column() == LostBy && r.causeSeq != 0)
            return tr("Double-click to go to the event that discarded the content.");
        if (index.column() == Fence)
            return tr("PagingFenceValue returned by D3DKMTReclaimAllocations2: wait for it before using the memory.");
        if (!r.result)
            return r.name;
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == Seq || index.column() == Time || index.column() == Fence)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant ReclaimResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    static const char* const names[ColumnCount]
        = { QT_TR_NOOP("#"), QT_TR_NOOP("Time"), QT_TR_NOOP("Allocation"), QT_TR_NOOP("Process"),
              QT_TR_NOOP("Priority"), QT_TR_NOOP("Result"), QT_TR_NOOP("Paging fence"), QT_TR_NOOP("Content lost by") };
    return tr(names[section]);
}

} // namespace offerscope::models
