// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/d3dkmt/NtStatus.h"

namespace offerscope {

std::string_view ntStatusName(NtStatus status)
{
    switch (status) {
    case NtStatus::Success:
        return "STATUS_SUCCESS";
    case NtStatus::Pending:
        return "STATUS_PENDING";
    case NtStatus::Unsuccessful:
        return "STATUS_UNSUCCESSFUL";
    case NtStatus::NotImplemented:
        return "STATUS_NOT_IMPLEMENTED";
    case NtStatus::InvalidHandle:
        return "STATUS_INVALID_HANDLE";
    case NtStatus::InvalidParameter:
        return "STATUS_INVALID_PARAMETER";
    case NtStatus::NoMemory:
        return "STATUS_NO_MEMORY";
    case NtStatus::BufferTooSmall:
        return "STATUS_BUFFER_TOO_SMALL";
    case NtStatus::ObjectNameNotFound:
        return "STATUS_OBJECT_NAME_NOT_FOUND";
    case NtStatus::DataError:
        return "STATUS_DATA_ERROR";
    case NtStatus::NotSupported:
        return "STATUS_NOT_SUPPORTED";
    case NtStatus::DeviceRemoved:
        return "STATUS_DEVICE_REMOVED";
    }
    return "STATUS_<unknown>";
}

} // namespace offerscope
