// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
#include "core/live/LiveBackend.h"
namespace offerscope::live {
inline constexpr const char* kDxgDevicePath = "/dev/dxg";
class Wsl2Backend final : public LiveBackend {
public:
    static std::unique_ptr<Wsl2Backend> open(const char* path, std::string* whyNot);
};
}
