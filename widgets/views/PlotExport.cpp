// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/PlotExport.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <algorithm>
#include <qcustomplot.h>

namespace offerscope::widgets {

void applyPlotFont(QCustomPlot* plot, const QFont& font)
{
    for (QCPAxisRect* rect : plot->axisRects())
        for (QCPAxis* axis : rect->axes()) {
            axis->setLabelFont(font);
            axis->setTickLabelFont(font);
            axis->setSelectedLabelFont(font);
            axis->setSelectedTickLabelFont(font);
        }
    plot->legend->setFont(font);
    plot->legend->setSelectedFont(font);
    plot->setFont(font);
}

QFont scaledFont(const QFont& font, double factor)
{
    QFont out = font;
    if (font.pixelSize() > 0)
        out.setPixelSize(std::max(1, static_cast<int>(font.pixelSize() * factor + 0.5)));
    else
        out.setPointSizeF(std::max(1.0, font.pointSizeF() * factor));
    return out;
}

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
