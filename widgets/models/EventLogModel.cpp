// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/EventLogModel.h"

#include "widgets/models/Format.h"
#include "widgets/models/Roles.h"
#include "widgets/models/SessionDocument.h"

#include <QBrush>
#include <algorithm>

namespace offerscope::models {

EventLogModel::EventLogModel(const SessionDocument* document, QObject* parent)
    : QAbstractTableModel(parent)
    , m_document(document)
{
    connect(document, &SessionDocument::loaded, this, [this] {
        beginResetModel();
        m_count = 0;
        m_hasSession = m_document->hasSession();
        m_revision = m_hasSession ? m_document->revision() : 0;
        endResetModel();
    });
}

int EventLogModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_count;
}

int EventLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void EventLogModel::refresh()
{
    if (!m_document->hasSession()) {
        if (m_count != 0) {
            beginResetModel();
            m_count = 0;
            endResetModel();
        }
        return;
    }
    const events::EventLog& log = m_document->eventLog();
    // Events after `unchanged` may have been replaced: cut them, then append what is there now.
    const std::uint64_t unchanged = m_document->unchangedEventsSince(m_revision);
    m_revision = m_document->revision();
    const std::uint64_t firstSeq = log.size() == 0 ? log.lastSeq() + 1 : log.at(0).seq;
    if (firstSeq != m_firstSeq && m_count != 0) {
        beginResetModel();
        m_firstSeq = firstSeq;
        m_count = static_cast<int>(log.size());
        endResetModel();
        return;
    }
    m_firstSeq = firstSeq;
    const std::uint64_t keep = unchanged == ~std::uint64_t { 0 }
        ? static_cast<std::uint64_t>(m_count)
        : std::min<std::uint64_t>(
            static_cast<std::uint64_t>(m_count), unchanged + 1 - std::min(unchanged + 1, m_firstSeq));
    if (keep < static_cast<std::uint64_t>(m_count)) {
        beginRemoveRows({}, static_cast<int>(keep), m_count - 1);
        m_count = static_cast<int>(keep);
        endRemoveRows();
    }
    const int now = static_cast<int>(log.size());
    if (now < m_count) {
        beginRemoveRows({}, now, m_count - 1);
        m_count = now;
        endRemoveRows();
    } else if (now > m_count) {
        beginInsertRows({}, m_count, now - 1);
        m_count = now;
        endInsertRows();
    }
}

const events::Event* EventLogModel::event(int row) const
{
    if (!m_document->hasSession() || row < 0 || row >= m_count)
        return nullptr;
    const events::EventLog& log = m_document->eventLog();
    return static_cast<std::size_t>(row) < log.size() ? &log.at(static_cast<std::size_t>(row)) : nullptr;
}

int EventLogModel::rowOfSeq(std::uint64_t seq) const
{
    if (seq < m_firstSeq || seq - m_firstSeq >= static_cast<std::uint64_t>(m_count))
        return -1;
    return static_cast<int>(seq - m_firstSeq);
}

QVariant EventLogModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const events::Event* e = event(index.row());
    if (e == nullptr)
        return {};
    switch (role) {
    case SeqRole:
        return quint64(e->seq);
    case CauseSeqRole:
        return quint64(e->causeSeq);
    case HandleRole:
        return e->allocations.size() == 1 ? QVariant(e->allocations.front()) : QVariant(0u);
    case Qt::DisplayRole:
    case SortRole:
        switch (index.column()) {
        case Seq:
            return role == SortRole ? QVariant(quint64(e->seq)) : QVariant(QStringLiteral("#%1").arg(e->seq));
        case Time:
            return role == SortRole ? QVariant(quint64(e->time)) : QVariant(timeText(e->time));
        case Kind:
            return toQString(events::eventKindName(e->kind));
        case Cause:
            if (e->cause == events::CauseKind::Pressure && e->pressure != events::PressureSource::None)
                return QStringLiteral("pressure: %1").arg(toQString(events::pressureSourceName(e->pressure)));
            if (e->cause == events::CauseKind::Pressure)
                return QStringLiteral("pressure"); // a source that does not say where it came from (a recording)
            if (e->cause == events::CauseKind::Call && e->call != events::ApiCall::None)
                return toQString(events::apiCallName(e->call));
            return toQString(events::causeKindName(e->cause));
        case Process:
            return e->process == 0 ? QString() : m_document->processName(e->process);
        case Segment:
            return e->segment < 0 ? QString() : m_document->segmentName(static_cast<std::uint32_t>(e->segment));
        case Bytes:
            if (role == SortRole)
                return quint64(e->bytes);
            return e->bytes == 0 ? QString() : bytesText(e->bytes);
        case Explanation:
            return QString::fromStdString(e->explanation);
        }
        break;
    case Qt::ForegroundRole:
        if (e->kind == events::EventKind::CallFailed || e->kind == events::EventKind::DeviceRemoved)
            return QBrush(resultColor(ReclaimResult::Discarded));
        if (e->kind == events::EventKind::Discarded || e->kind == events::EventKind::Decommitted)
            return QBrush(resultColor(
                e->kind == events::EventKind::Discarded ? ReclaimResult::Discarded : ReclaimResult::NotCommitted));
        if (e->kind == events::EventKind::Narration)
            return QBrush(QColor(0x30, 0x50, 0x90));
        if (e->kind == events::EventKind::Reclaimed && e->result)
            return QBrush(resultColor(*e->result));
        break;
    case Qt::ToolTipRole:
        return QString::fromStdString(e->explanation);
    case Qt::TextAlignmentRole:
        if (index.column() == Seq || index.column() == Time || index.column() == Bytes)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    default:
        break;
    }
    return {};
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    static const char* const names[ColumnCount]
        = { QT_TR_NOOP("#"), QT_TR_NOOP("Time"), QT_TR_NOOP("Event"), QT_TR_NOOP("Cause"), QT_TR_NOOP("Process"),
              QT_TR_NOOP("Segment"), QT_TR_NOOP("Bytes"), QT_TR_NOOP("What happened") };
    return tr(names[section]);
}

} // namespace offerscope::models
