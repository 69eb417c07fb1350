// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "widgets/models/Refreshable.h"
#include "core/world/Timeline.h"
#include "widgets/models/RowTableModel.h"

#include <QColor>
#include <optional>
#include <QString>

namespace offerscope::models {

class SessionDocument;

struct SegmentRow {
    std::uint32_t key = 0; ///< segment index
    world::SegmentSample sample;
    bool operator==(const SegmentRow& other) const;
};

/// Segment usage now: one row per segment, one column per category the usage bars stack.
class SegmentUsageModel final : public RowTableModel<SegmentRow>, public Refreshable {
    Q_OBJECT
public:
    enum Column {
        Segment,
        Size,
        InUse,
        OfferedLow,
        OfferedNormal,
        OfferedHigh,
        OfferedAuto,
        Pending,
        Evicted,
        Discarded,
        Free,
        ColumnCount
    };

    explicit SegmentUsageModel(const SessionDocument* document, QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh() override;

    /// The bytes of a category column (InUse .. Free) in a sample, and its colour and glossary key.
    static std::uint64_t categoryBytes(const world::SegmentSample& sample, int column);
    static QColor categoryColor(int column);
    static QString categoryName(int column);

private:
    const SessionDocument* m_document;
};

struct BudgetRow {
    std::uint64_t key = 0; ///< process handle << 1 | group
    QString process;
    int group = 0; ///< 0 local, 1 non-local
    std::optional<std::uint64_t> budget; ///< empty: a live source did not report it
    std::optional<std::uint64_t> usage;
    std::optional<std::uint64_t> reservation;
    std::uint64_t offeredResident = 0;
    bool operator==(const BudgetRow& other) const = default;
};

/// Budget and usage of each process in each segment group (what QueryVideoMemoryInfo answers).
class ProcessBudgetModel final : public RowTableModel<BudgetRow>, public Refreshable {
    Q_OBJECT
public:
    enum Column { Process, Group, Budget, Usage, Reservation, OfferedResident, ColumnCount };

    explicit ProcessBudgetModel(const SessionDocument* document, QObject* parent = nullptr);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void refresh() override;

private:
    const SessionDocument* m_document;
};

} // namespace offerscope::models
