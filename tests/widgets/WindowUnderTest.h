// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The real main window as the window tests and the monkey test drive it: default settings, shown at a
// given size, every item model it made under a fatal QAbstractItemModelTester.

#include "app/gui/MainWindow.h"

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QSettings>
#include <memory>
#include <vector>

namespace offerscope::test {

struct WindowUnderTest {
    std::unique_ptr<app::MainWindow> window;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> testers;

    void openWindow(int width, int height, bool quiet = false)
    {
        QSettings().clear(); // the test main gives each process its own settings directory
        window = std::make_unique<app::MainWindow>();
        window->setQuiet(quiet);
        window->resize(width, height);
        window->show();
        for (QAbstractItemModel* m : window->findChildren<QAbstractItemModel*>())
            testers.push_back(
                std::make_unique<QAbstractItemModelTester>(m, QAbstractItemModelTester::FailureReportingMode::Fatal));
    }
    void closeWindow()
    {
        testers.clear();
        window.reset();
    }
};

} // namespace offerscope::test
