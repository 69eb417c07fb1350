// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Dialogs that turn what a person asks for into a scenario step (the session runs it, and saving
// the session writes it). Each returns nullopt when cancelled.

#include "core/scenario/Scenario.h"

#include <optional>
#include <string>
#include <vector>

class QWidget;

namespace offerscope::models {
class SessionDocument;
}

namespace offerscope::app {

std::optional<scenario::Step> askCreate(QWidget* parent, const models::SessionDocument& document);
std::optional<scenario::Step> askOffer(QWidget* parent, const std::vector<std::string>& names);
std::optional<scenario::Step> askGpuWork(QWidget* parent, const std::vector<std::string>& names);
std::optional<scenario::Step> askPressure(QWidget* parent, const models::SessionDocument& document);
std::optional<scenario::Step> askBudget(QWidget* parent, const models::SessionDocument& document);
/// Policy and verifier switches: zero, one or two steps (only what changed).
std::vector<scenario::Step> askSettings(QWidget* parent, const models::SessionDocument& document);

} // namespace offerscope::app
