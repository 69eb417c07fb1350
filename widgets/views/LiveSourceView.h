// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace offerscope::models {
class LiveSession;
class LiveReadingsModel;
class ProbeComparisonModel;
} // namespace offerscope::models

namespace offerscope::widgets {

class TableView;

/// A live source: its latest readings ("–" where the driver gave nothing), what it could not do,
/// and a probe run (real offers of the program's own resources) beside the model's prediction.
class LiveSourceView final : public QWidget {
    Q_OBJECT
public:
    explicit LiveSourceView(models::LiveSession* session, QWidget* parent = nullptr);
    /// Runs the probe plan the fields describe; false (and a message in the view) on bad input.
    bool runProbe();

private:
    void showProblems();

    models::LiveSession* m_session;
    models::LiveReadingsModel* m_readings;
    models::ProbeComparisonModel* m_comparison;
    QComboBox* m_interval = nullptr;
    QLabel* m_problems = nullptr;
    QLineEdit* m_sizes = nullptr;
    QComboBox* m_priority = nullptr;
    QLineEdit* m_pressure = nullptr;
    QLabel* m_message = nullptr;
};

} // namespace offerscope::widgets
