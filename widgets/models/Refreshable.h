// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

namespace offerscope::models {

class SessionDocument;

/// A model or a view the document refreshes: registered once (SessionDocument::addView), refreshed
/// in the order it was registered, so models are up to date before the views that read them. The
/// window, the model tests and the GUI benchmark all drive the same list (refreshViews()).
class Refreshable {
public:
    Refreshable() = default;
    Refreshable(const Refreshable&) = delete;
    Refreshable& operator=(const Refreshable&) = delete;
    /// Leaves the document's list.
    virtual ~Refreshable();
    /// Brings what it shows up to the document's current world.
    virtual void refresh() = 0;

private:
    friend class SessionDocument;
    SessionDocument* m_refreshedBy = nullptr;
};

} // namespace offerscope::models
