// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/d3dkmt/NtStatus.h"

#include <iosfwd>
#include <memory>
#include <string>
#include <utility>

namespace offerscope {

/// What a call answered: an NTSTATUS and, when it is not a success, a sentence naming what is at
/// fault ("NumAllocations is 0", "not available: /dev/dxg not found"). Errors are values in the
/// engine; nothing throws across its API or a thread boundary.
class Status {
public:
    Status() = default;
    /// A bare status (a success, or a failure whose words were recorded elsewhere).
    Status(NtStatus code)
        : m_code(code)
    {
    }
    Status(NtStatus code, std::string message)
        : m_code(code)
        , m_message(message.empty() ? nullptr : std::make_unique<std::string>(std::move(message)))
    {
    }
    Status(const Status& other)
        : m_code(other.m_code)
        , m_message(other.m_message ? std::make_unique<std::string>(*other.m_message) : nullptr)
    {
    }
    Status(Status&&) noexcept = default;
    Status& operator=(const Status& other)
    {
        if (this != &other)
            *this = Status(other);
        return *this;
    }
    Status& operator=(Status&&) noexcept = default;

    bool ok() const { return ntSuccess(m_code); }
    NtStatus code() const { return m_code; }
    const std::string& message() const { return m_message ? *m_message : noWords(); }
    /// Compares and switches as the NTSTATUS it carries.
    operator NtStatus() const { return m_code; }

private:
    static const std::string& noWords()
    {
        static const std::string none;
        return none;
    }

    NtStatus m_code = NtStatus::Success;
    // The words live apart: a success (the simulator's hot paths return millions) carries a code and
    // a null pointer, nothing to build or free.
    std::unique_ptr<std::string> m_message;
};

/// "STATUS_INVALID_PARAMETER: NumAllocations is 0" (the name alone when there are no words); tests
/// and the command line print statuses with it.
std::ostream& operator<<(std::ostream& out, const Status& status);

/// A value, or the Status saying why there is none.
template <typename T> class Result {
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    /// No value: `why` is a failure.
    Result(Status why)
        : m_status(std::move(why))
    {
    }
    static Result failure(NtStatus status, std::string message) { return Result(Status(status, std::move(message))); }

    bool ok() const { return m_status.ok(); }
    explicit operator bool() const { return ok(); }
    NtStatus status() const { return m_status.code(); }
    const std::string& message() const { return m_status.message(); }
    const Status& why() const { return m_status; }
    const T& value() const { return m_value; }
    T& value() { return m_value; }
    const T& operator*() const { return m_value; }
    const T* operator->() const { return &m_value; }
    T* operator->() { return &m_value; }
    /// Moves the value out (a move-only value such as an opened source).
    T take() { return std::move(m_value); }

private:
    T m_value {};
    Status m_status;
};

} // namespace offerscope
