// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/TextFile.h"

#include <cstdio>

namespace offerscope {

bool readTextFile(const std::string& path, const char* what, std::string& text, std::string& error)
{
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) {
        error = path + ": cannot open the " + what + " file";
        return false;
    }
    text.clear();
    char buffer[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0)
        text.append(buffer, n);
    const bool failed = std::ferror(file) != 0;
    std::fclose(file);
    if (failed) {
        error = path + ": read error";
        return false;
    }
    return true;
}

} // namespace offerscope
