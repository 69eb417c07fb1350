// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/PlotExport.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <qcustomplot.h>

namespace offerscope::widgets {

bool exportPlot(QCustomPlot* plot, const QString& path, QString* error)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    const int w = std::max(plot->width(), 640);
    const int h = std::max(plot->height(), 360);
    bool ok = false;
    if (suffix == QLatin1String("png"))
        ok = plot->savePng(path, w, h, 2.0);
    else if (suffix == QLatin1String("pdf"))
        ok = plot->savePdf(path, w, h);
    else {
        if (error != nullptr)
            *error = QObject::tr("%1: unknown format '%2' (use .png or .pdf)").arg(path, suffix);
        return false;
    }
    if (!ok && error != nullptr)
        *error = QObject::tr("%1: could not be written").arg(path);
    return ok;
}

void exportPlotInteractively(QCustomPlot* plot, QWidget* parent, const QString& suggestedName)
{
    const QString path = QFileDialog::getSaveFileName(
        parent, QObject::tr("Export plot"), suggestedName, QObject::tr("PNG image (*.png);;PDF document (*.pdf)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!exportPlot(plot, path, &error))
        QMessageBox::warning(parent, QObject::tr("Export plot"), error);
}

} // namespace offerscope::widgets
