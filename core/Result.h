// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/d3dkmt/NtStatus.h"

#include <string>
#include <utility>

namespace offerscope {

/// A value or the status (and a sentence) saying why there is none. Errors are values in the engine.
template <typename T> class Result {
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    static Result failure(NtStatus status, std::string message)
    {
        Result r;
        r.m_status = status;
        r.m_message = std::move(message);
        return r;
    }

    bool ok() const { return ntSuccess(m_status); }
    explicit operator bool() const { return ok(); }
    NtStatus status() const { return m_status; }
    const std::string& message() const { return m_message; }
    const T& value() const { return m_value; }
    T& value() { return m_value; }
    const T& operator*() const { return m_value; }

private:
    Result() = default;
    T m_value {};
    NtStatus m_status = NtStatus::Success;
    std::string m_message;
};

} // namespace offerscope
