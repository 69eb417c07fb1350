// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string_view>

namespace offerscope {

/// NTSTATUS values the D3DKMT calls return, with their Windows numbers (ntstatus.h). The engine's other
/// calls (reading files, applying settings) answer with the same codes: see Status in core/Result.h.
enum class NtStatus : std::uint32_t {
    Success = 0x00000000,
    Pending = 0x00000103, ///< STATUS_PENDING: paging was queued, wait for PagingFenceValue
    Unsuccessful = 0xC0000001, ///< STATUS_UNSUCCESSFUL: a live call failed for a reason it did not name
    NotImplemented = 0xC0000002, ///< STATUS_NOT_IMPLEMENTED: a live runtime lacks the call (E_NOTIMPL)
    InvalidHandle = 0xC0000008,
    InvalidParameter = 0xC000000D,
    NoMemory = 0xC0000017,
    BufferTooSmall = 0xC0000023,
    ObjectNameNotFound = 0xC0000034, ///< STATUS_OBJECT_NAME_NOT_FOUND: a file that cannot be opened
    DataError = 0xC000003E, ///< STATUS_DATA_ERROR: a file whose content is malformed (the message says where)
    NotSupported = 0xC00000BB,
    DeviceRemoved = 0xC00002B6,
};

/// NT_SUCCESS(): severity success or informational.
constexpr bool ntSuccess(NtStatus status)
{
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(status)) >= 0;
}

/// "STATUS_INVALID_PARAMETER" and so on, as in ntstatus.h.
std::string_view ntStatusName(NtStatus status);

} // namespace offerscope
