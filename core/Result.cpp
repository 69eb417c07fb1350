// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Result.h"

#include <ostream>

namespace offerscope {

std::ostream& operator<<(std::ostream& out, const Status& status)
{
    out << ntStatusName(status.code());
    if (!status.message().empty())
        out << ": " << status.message();
    return out;
}

} // namespace offerscope
