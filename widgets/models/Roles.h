// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <Qt>

namespace offerscope::models {

/// Item data roles shared by every model of the views.
enum Role : int {
    SortRole = Qt::UserRole + 1, ///< the raw value (bytes, microseconds, ranks) the proxies sort by
    HandleRole, ///< the D3DKMT allocation handle of the row (0: none)
    SeqRole, ///< the event sequence number of the row (0: none)
    CauseSeqRole, ///< the event that caused this one (a reclaim's discard), 0: none
    FirstVictimRole, ///< bool: the row is the next allocation VidMm would discard
    BarRole, ///< double 0..1: the length of a bar drawn behind the value (sizes against the largest shown)
};

} // namespace offerscope::models
