// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Dialogs that turn what a person asks for into a scenario step (the session runs it, and saving
// the session writes it). Each returns nullopt when cancelled.

#include "core/scenario/Scenario.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <string>
#include <vector>

class QWidget;

namespace offerscope::models {
class SessionDocument;
}
namespace offerscope::world {
class World;
}

namespace offerscope::app {

std::optional<scenario::Step> askCreate(QWidget* parent, const models::SessionDocument& document);
std::optional<scenario::Step> askOffer(QWidget* parent, const std::vector<std::string>& names);
std::optional<scenario::Step> askGpuWork(QWidget* parent, const std::vector<std::string>& names);
std::optional<scenario::Step> askPressure(QWidget* parent, const models::SessionDocument& document);
std::optional<scenario::Step> askBudget(QWidget* parent, const models::SessionDocument& document);
/// Policy and verifier switches: zero, one or two steps (only what changed).
std::vector<scenario::Step> askSettings(QWidget* parent, const models::SessionDocument& document);

/// One thing a what-if can change (a key of scenario::applySetting), in words, with values to try.
struct WhatIfChoice {
    QString key; ///< "verifier.neverDiscardOffer", "step.12.priority"
    QString label;
    QStringList values; ///< the ones that differ from the world's now first
};
/// What can be changed in a world's scenario: the policy, the verifier switches, each process' budgets
/// and verifier, the priority of each offer step.
std::vector<WhatIfChoice> whatIfChoices(const world::World& world);
/// Asks what to change; "KEY=VALUE", or nothing when cancelled.
std::optional<QString> askWhatIf(QWidget* parent, const world::World& world);

} // namespace offerscope::app
