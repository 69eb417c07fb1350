// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

class QAbstractItemModel;

namespace offerscope::models {

/// The model's rows as CSV (RFC 4180): a header line of column titles, then the displayed texts.
QString modelToCsv(const QAbstractItemModel& model);
/// Writes modelToCsv() to a file; on error returns false with "path: why".
bool writeModelCsv(const QAbstractItemModel& model, const QString& path, QString* error);

} // namespace offerscope::models
