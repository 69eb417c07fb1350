// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/TextFile.h"

#include <cstdio>

namespace offerscope {

Result<std::string> readTextFile(const std::string& path, const char* what)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr)
        return Status(NtStatus::ObjectNameNotFound, path + ": cannot open the " + what + " file");
    std::string text;
    char buffer[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        text.append(buffer, n);
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed)
        return Status(NtStatus::Unsuccessful, path + ": read error");
    return text;
}

} // namespace offerscope
