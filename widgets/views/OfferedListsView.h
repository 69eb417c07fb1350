// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>
#include <array>

class QTabWidget;
class QLabel;

namespace offerscope::models {
class OfferedListModel;
}

namespace offerscope::widgets {

class TableView;

/// The discard queue (every offer of a segment in the order VidMm would take them) and the four
/// offered lists (LOW, NORMAL, HIGH, AUTO) as its filters, one tab each, with the total bytes of each
/// in its tab. It opens on the queue.
class OfferedListsView final : public QWidget {
    Q_OBJECT
public:
    OfferedListsView(const std::array<models::OfferedListModel*, 5>& lists, QWidget* parent = nullptr);

    static constexpr int kLists = 5; ///< the queue, then LOW, NORMAL, HIGH, AUTO
    TableView* table(int list) const { return m_tables[static_cast<std::size_t>(list)]; }
    QTabWidget* tabs() const { return m_tabs; }
    /// Shows and selects an allocation in the list that holds it; false when no list does.
    bool selectAllocation(std::uint32_t handle);
    /// The words above the lists: the simulator's discard order, or a live source's probes.
    /// Where the order comes from, above the lists (empty: the simulator's own order, explained).
    void setOrderNote(const QString& note);
    /// Shows or hides the words above the lists (the classroom layout has no room for them).
    void setHelpVisible(bool visible);

signals:
    void allocationSelected(std::uint32_t handle);

private:
    void updateTitle(int list);

    std::array<models::OfferedListModel*, 5> m_lists;
    std::array<TableView*, 5> m_tables {};
    QTabWidget* m_tabs;
    QLabel* m_help;
};

} // namespace offerscope::widgets
