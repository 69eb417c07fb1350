// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/live/Wsl2Backend.h"
namespace offerscope::live {
std::unique_ptr<Wsl2Backend> Wsl2Backend::open(const char*, std::string* whyNot)
{
    if (whyNot) *whyNot = "not available: /dev/dxg not found";
    return nullptr;
}
}
