// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/CsvExport.h"

#include <QAbstractItemModel>
#include <QFile>
#include <QStringList>

namespace offerscope::models {

namespace {
QString field(QString text)
{
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) || text.contains(QLatin1Char('\n'))) {
        text.replace(QLatin1String("\""), QLatin1String("\"\""));
        return QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}
} // namespace

QString modelToCsv(const QAbstractItemModel& model)
{
    QString out;
    QStringList cells;
    for (int c = 0; c < model.columnCount(); ++c)
        cells << field(model.headerData(c, Qt::Horizontal).toString());
    out += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    for (int r = 0; r < model.rowCount(); ++r) {
        cells.clear();
        for (int c = 0; c < model.columnCount(); ++c)
            cells << field(model.index(r, c).data().toString());
        out += cells.join(QLatin1Char(',')) + QLatin1Char('\n');
    }
    return out;
}

bool writeModelCsv(const QAbstractItemModel& model, const QString& path, QString* error)
{
    QFile file(path);
    const QByteArray bytes = modelToCsv(model).toUtf8();
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        if (error != nullptr)
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace offerscope::models
