// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/LiveSourceModels.h"

#include "widgets/models/Format.h"
#include "widgets/models/SessionDocument.h"
#include "widgets/models/Worker.h"

#include <QPointer>
#include <mutex>

#include <QColor>

namespace offerscope::models {

namespace {
QString bytesOrDash(const std::optional<std::uint64_t>& value)
{
    return value ? bytesText(*value) : QStringLiteral("–");
}
} // namespace

LiveSession::LiveSession(SessionDocument* document, live::LiveWorld* world, Worker* worker, QObject* parent)
    : QObject(parent)
    , m_document(document)
    , m_world(world)
    , m_worker(worker)
    , m_readAtPosition(world->position())
{
    m_world->setReadsAfterSteps(false); // the worker reads after steps
    connect(&m_timer, &QTimer::timeout, this, &LiveSession::readNow);
    connect(document, &SessionDocument::changed, this, [this] {
        // A step or an action ran on the source: read what it did to the adapter.
        if (m_world->position() != m_readAtPosition)
            readNow();
        emit sampled();
    });
}

LiveSession::~LiveSession() = default;

QString LiveSession::name() const
{
    return QString::fromStdString(m_world->backend().info().name);
}

std::vector<AdapterDesc> LiveSession::adapters() const
{
    if (!m_world->adapter())
        return {};
    return { *m_world->adapter() };
}

const live::LiveSample& LiveSession::sample() const
{
    return m_world->lastSample();
}

QStringList LiveSession::problems() const
{
    QStringList out;
    for (const std::string& p : m_world->backend().problems())
        out << QString::fromStdString(p);
    return out;
}

void LiveSession::setInterval(int ms)
{
    m_timer.stop();
    readNow();
    if (ms > 0)
        m_timer.start(ms);
}

void LiveSession::readNow()
{
    m_readAtPosition = m_world->position();
    live::LiveWorld* world = m_world;
    const QPointer<LiveSession> self(this);
    m_worker->request<live::LiveSample>(
        QString::fromLatin1(kReadingTag), [world](const JobControl&) { return world->readSample(); },
        [self](live::LiveSample reading) {
            if (!self)
                return;
            self->m_world->applySample(std::move(reading));
            self->m_document->worldChanged(self->m_world); // every view shows it (changed() -> sampled())
        });
}

void LiveSession::runProbe(const live::ProbePlan& plan)
{
    if (!m_world->adapter())
        return;
    struct Probed {
        std::vector<live::LiveCall> calls;
        live::LiveSample reading;
    };
    live::LiveWorld* world = m_world;
    const std::vector<scenario::Step> steps
        = live::probeSteps(plan, m_world->probeDeviceName(), live::freshProbePrefix(m_world->knownNames()));
    // The worker reads only its own copy of the names: the views read the world meanwhile.
    live::LiveCallContext context = m_world->callContext();
    const QPointer<LiveSession> self(this);
    m_worker->request<Probed>(
        QString::fromLatin1(kProbeTag),
        [world, steps, context](const JobControl& control) mutable {
            Probed out;
            for (std::size_t i = 0; i < steps.size(); ++i) {
                // Cancelled, only the clean-up of what was made still runs.
                if (control.cancelled() && !(live::cleansUp(steps[i]) && context.handles.count(steps[i].name) != 0))
                    continue;
                control.progress(static_cast<int>(100 * i / steps.size()),
                    QObject::tr("Probe run on the live source: step %1 of %2…").arg(i + 1).arg(steps.size()));
                out.calls.push_back(world->callLive(steps[i], context));
            }
            out.reading = world->readSample(); // the readings after the run
            return out;
        },
        [self, steps](Probed probed) {
            if (!self)
                return;
            std::vector<live::LiveStepRecord> records;
            for (live::LiveCall& call : probed.calls)
                records.push_back(self->m_world->applyCalled(std::move(call)));
            self->m_comparison = live::compareProbes(steps, records);
            self->m_world->applySample(std::move(probed.reading));
            self->m_document->worldChanged(self->m_world);
            emit self->probed();
        });
}

// ---- Readings ----------------------------------------------------------------------------------

LiveReadingsModel::LiveReadingsModel(const LiveSession* session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
    setObjectName(QStringLiteral("live readings"));
    refresh();
}

void LiveReadingsModel::refresh()
{
    std::vector<Row> rows;
    const live::LiveSample& s = m_session->sample();
    const std::vector<AdapterDesc> adapters = m_session->adapters();
    if (!adapters.empty())
        for (const SegmentDesc& seg : adapters.front().segments) {
            Row r;
            r.what = tr("segment %1: %2").arg(seg.segmentId).arg(QString::fromStdString(seg.name));
            r.size = bytesText(seg.size);
            r.committed = r.resident = QStringLiteral("–");
            for (const live::SegmentReading& reading : s.segments)
                if (reading.segmentId == seg.segmentId) {
                    r.committed = bytesOrDash(reading.bytesCommitted);
                    r.resident = bytesOrDash(reading.bytesResident);
                    r.source = QStringLiteral("QueryStatistics (SEGMENT)");
                }
            r.budget = r.usage = QStringLiteral("–");
            rows.push_back(std::move(r));
        }
    for (const live::MemoryInfoReading& g : s.groups) {
        Row r;
        r.what = g.group == MemorySegmentGroup::Local ? tr("this program, local") : tr("this program, non-local");
        r.size = r.committed = r.resident = QStringLiteral("–");
        r.budget = bytesOrDash(g.budget);
        r.usage = bytesOrDash(g.currentUsage);
        r.source = QString::fromStdString(g.source);
        rows.push_back(std::move(r));
    }
    beginResetModel(); // a handful of rows, read a few times a second
    m_rows = std::move(rows);
    endResetModel();
}

int LiveReadingsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int LiveReadingsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LiveReadingsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& r = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case What: return r.what;
        case Size: return r.size;
        case Committed: return r.committed;
        case Resident: return r.resident;
        case Budget: return r.budget;
        case Usage: return r.usage;
        case Source: return r.source;
        default: return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != What && index.column() != Source)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() != What)
        return tr("“–”: the driver did not report this. OfferScope never shows a number it was not given.");
    return {};
}

QVariant LiveReadingsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = { "What", "Size", "Committed", "Resident", "Budget", "Usage", "Read with" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

// ---- Probe comparison --------------------------------------------------------------------------

ProbeComparisonModel::ProbeComparisonModel(const LiveSession* session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{
    setObjectName(QStringLiteral("probe comparison"));
    refresh();
}

void ProbeComparisonModel::refresh()
{
    beginResetModel(); // a new probe run replaces the last one
    m_rows = m_session->comparison();
    endResetModel();
}

int ProbeComparisonModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ProbeComparisonModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProbeComparisonModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const live::ProbeComparison& c = m_rows[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Probe: return QString::fromStdString(c.name);
        case Size: return bytesText(c.size);
        case Live: return QString::fromStdString(c.live);
        case Model: return QString::fromStdString(c.model);
        case Differs: return c.differs ? QString::fromStdString(c.why) : tr("the same");
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == Differs)
        return c.differs ? QColor(0xd6, 0x4a, 0x1f) : QColor(0x2e, 0x8b, 0x3e);
    if (role == Qt::TextAlignmentRole && index.column() == Size)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant ProbeComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* const names[] = { "Probe", "Size", "The driver (live)", "The model (simulator)", "Where they differ" };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace offerscope::models
