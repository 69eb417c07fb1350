// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFont>
#include <QString>

class QCustomPlot;
class QWidget;

namespace offerscope::widgets {

/// Puts a plot's text (axis labels and ticks, legend) in `font`: plots follow their widget's font, so
/// the classroom layout's larger font reaches them too.
void applyPlotFont(QCustomPlot* plot, const QFont& font);
/// `font` made smaller by `factor` (pixel- or point-sized alike): the plots' labels and markers.
QFont scaledFont(const QFont& font, double factor);

/// Saves a plot as PNG or PDF (by the file's suffix) at its on-screen size; false with "path: why".
bool exportPlot(QCustomPlot* plot, const QString& path, QString* error);
/// Asks for a file name (PNG or PDF) and exports; errors are shown in a message box.
void exportPlotInteractively(QCustomPlot* plot, QWidget* parent, const QString& suggestedName);

} // namespace offerscope::widgets
