// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>
#include <array>
#include <cstdint>
#include <memory>

class QLabel;

namespace offerscope::world {
class World;
}

namespace offerscope::models {
class SessionDocument;
class SegmentUsageModel;
class ProcessBudgetModel;
class OfferedListModel;
class ReclaimResultsModel;
} // namespace offerscope::models

namespace offerscope::widgets {
class UsageBarsPlot;
class OfferedListsView;
class TableView;
class NarrationView;
} // namespace offerscope::widgets

namespace offerscope::app {

/// A second world beside the one the window shows, stepping with it: the model replaying a recording
/// (and, next, a what-if simulator). It is a document of its own, holding that world, with its own
/// models and views of what differs first: the narration (where the two part, in words), the segment
/// usage, the offered lists in discard order and the reclaim results. Both worlds have the same steps,
/// so following is going to the same position.
class BesidePane final : public QWidget {
    Q_OBJECT
public:
    BesidePane(std::unique_ptr<world::World> world, QWidget* parent = nullptr);
    ~BesidePane() override;

    models::SessionDocument* document() const { return m_document; }
    world::World* world() const;
    /// Words over the views: what this world is and where it parts from the one it follows (rich
    /// text; links are given to linkActivated()).
    void setHeader(const QString& html);
    /// Where its discard order comes from, above its offered lists.
    void setOrderNote(const QString& note);
    /// Goes to `position` (the window's) and refreshes every view of the pane.
    void follow(std::size_t position);
    widgets::OfferedListsView* offeredView() const { return m_offeredView; }
    widgets::TableView* reclaimTable() const { return m_reclaimTable; }

signals:
    void linkActivated(const QString& link);
    /// An allocation of this world was selected in one of the pane's views.
    void allocationSelected(std::uint32_t handle);

private:
    models::SessionDocument* m_document;
    models::SegmentUsageModel* m_segments;
    models::ProcessBudgetModel* m_budgets;
    std::array<models::OfferedListModel*, 5> m_offered {}; ///< the queue, then LOW, NORMAL, HIGH, AUTO
    models::ReclaimResultsModel* m_reclaims;
    QLabel* m_header;
    widgets::NarrationView* m_narration;
    widgets::UsageBarsPlot* m_usagePlot;
    widgets::OfferedListsView* m_offeredView;
    widgets::TableView* m_reclaimTable;
};

} // namespace offerscope::app
