// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QCustomPlot;
class QWidget;

namespace offerscope::widgets {

/// Saves a plot as PNG or PDF (by the file's suffix) at its on-screen size; false with "path: why".
bool exportPlot(QCustomPlot* plot, const QString& path, QString* error);
/// Asks for a file name (PNG or PDF) and exports; errors are shown in a message box.
void exportPlotInteractively(QCustomPlot* plot, QWidget* parent, const QString& suggestedName);

} // namespace offerscope::widgets
