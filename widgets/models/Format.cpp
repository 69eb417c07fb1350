// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/Format.h"

#include "core/Units.h"

#include <QHash>

namespace offerscope::models {

QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

QString bytesText(std::uint64_t bytes)
{
    return QString::fromStdString(formatBytes(bytes));
}

QString timeText(std::uint64_t microseconds)
{
    if (microseconds < 1000)
        return QStringLiteral("%1 µs").arg(microseconds);
    if (microseconds < 1000000)
        return QStringLiteral("%1 ms").arg(static_cast<double>(microseconds) / 1e3, 0, 'f', 3);
    return QStringLiteral("%1 s").arg(static_cast<double>(microseconds) / 1e6, 0, 'f', 3);
}

QString handleText(std::uint32_t handle)
{
    return QString::fromStdString(formatHex(handle)); // as the engine's explanations write it
}

QString stateText(sim::AllocationState state)
{
    return toQString(sim::allocationStateName(state));
}

QString priorityText(OfferPriority priority)
{
    return priority == OfferPriority::None ? QString() : toQString(offerPriorityName(priority));
}

QString resultText(ReclaimResult result)
{
    return toQString(reclaimResultName(result));
}

// A palette that stays apart for people with the common colour-vision deficiencies (Tableau 10).
QColor inUseColor()
{
    return QColor(0x4e, 0x79, 0xa7);
}

QColor priorityColor(OfferPriority priority)
{
    switch (priority) {
    case OfferPriority::Low:
        return QColor(0xe1, 0x57, 0x59);
    case OfferPriority::Normal:
        return QColor(0xf2, 0x8e, 0x2b);
    case OfferPriority::High:
        return QColor(0x59, 0xa1, 0x4f);
    case OfferPriority::Auto:
        return QColor(0xb0, 0x7a, 0xa1);
    case OfferPriority::None:
        break;
    }
    return QColor(Qt::gray);
}

QColor pendingColor()
{
    return QColor(0xed, 0xc9, 0x48);
}

QColor evictedColor()
{
    return QColor(0x9c, 0x75, 0x5f);
}

QColor discardedColor()
{
    return QColor(0x79, 0x70, 0x6e);
}

QColor freeColor()
{
    return QColor(0xe8, 0xe8, 0xe8);
}

QColor resultColor(ReclaimResult result)
{
    switch (result) {
    case ReclaimResult::Ok:
        return QColor(0x2e, 0x8b, 0x3e);
    case ReclaimResult::Discarded:
        return QColor(0xd6, 0x4a, 0x1f);
    case ReclaimResult::NotCommitted:
        return QColor(0x8e, 0x24, 0x8c);
    }
    return QColor(Qt::gray);
}

QString glossary(const QString& term)
{
    static const QHash<QString, QString> words {
        { QStringLiteral("resident"),
            QStringLiteral("<b>Resident</b>: the allocation occupies memory in its segment now. "
                           "Not the same as <b>committed</b>, which only means backing store exists "
                           "(resident, evicted, offered or discarded memory is all committed).") },
        { QStringLiteral("committed"),
            QStringLiteral("<b>Committed</b>: backing store is reserved for the allocation, whether or not it "
                           "is in the segment. <b>Resident</b> is the part that occupies the segment.") },
        { QStringLiteral("local"),
            QStringLiteral("<b>Local</b> memory is the GPU's own (VRAM on a discrete card, the carve-out on an "
                           "integrated one). <b>Non-local</b> is system memory the GPU reaches through the "
                           "aperture. Budgets are per group: local and non-local.") },
        { QStringLiteral("offered"),
            QStringLiteral("<b>Offered</b>: the application said it can rebuild the content; VidMm may take the "
                           "memory at any time and the content is then lost (<b>discarded</b>). Not the same as "
                           "<b>evicted</b>: eviction moves the content out and keeps it.") },
        { QStringLiteral("evicted"),
            QStringLiteral("<b>Evicted</b>: moved out of the segment with its content kept in the backing store; "
                           "it comes back intact when made resident. An <b>offered</b> allocation is discarded "
                           "instead: its content is thrown away.") },
        { QStringLiteral("discarded"),
            QStringLiteral("<b>Discarded</b>: VidMm took the memory of an offered allocation; the content is "
                           "lost but the backing store stays committed, so a reclaim answers DISCARDED and the "
                           "allocation can be refilled. <b>Decommitted</b> goes further: the backing store is "
                           "gone too and a reclaim answers NOT_COMMITTED.") },
        { QStringLiteral("decommitted"),
            QStringLiteral("<b>Decommitted</b>: the backing store itself was released (AllowDecommit offers under "
                           "system commit pressure). The allocation is dead: a reclaim answers NOT_COMMITTED and "
                           "only destroying it is left. <b>Discarded</b> keeps the commitment.") },
        { QStringLiteral("pending"),
            QStringLiteral("<b>Pending</b> offer: GPU work that uses the allocation is still queued, so the offer "
                           "takes effect only when that work retires. Until then it cannot be discarded.") },
        { QStringLiteral("free"), QStringLiteral("<b>Free</b>: segment memory nobody occupies.") },
        { QStringLiteral("inuse"),
            QStringLiteral("<b>In use</b>: resident and not offered: VidMm can only evict it, never discard it.") },
        { QStringLiteral("budget"),
            QStringLiteral("<b>Budget</b>: how much of a segment group the OS lets a process use "
                           "(QueryVideoMemoryInfo). Going over it makes VidMm take the process' own offers first.") },
    };
    return words.value(term.toLower());
}

} // namespace offerscope::models
