// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Practice: exercises the engine makes from a seed and answers itself. Each exercise is a small
// scenario (the state it asks about, built step by step) and a question about its last step: which
// allocation goes next under this pressure, what a reclaim returns, what status a call gets, how many
// bytes a process must trim. The right answer is what the engine does when that step runs; the
// explanation is the engine's own words for it. The same seed and level give the same exercise.

#include "core/scenario/Scenario.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace offerscope::practice {

enum class ExerciseKind : std::uint8_t { NextVictim, ReclaimResult, CallStatus, TrimBytes };
inline constexpr int kExerciseKinds = 4;
std::string_view exerciseKindName(ExerciseKind kind);

/// 1: one rule at a time; 2: the rules together (same-level order, AllowDecommit, redundant calls);
/// 3: the corners (AUTO, pending offers, calls on another process' device, offered bytes in usage).
inline constexpr int kLevels = 3;

struct Exercise {
    ExerciseKind kind = ExerciseKind::NextVictim;
    int level = 1;
    std::uint64_t seed = 0;
    /// The state, step by step; its last step is the one the question is about.
    scenario::Scenario scenario;
    std::string question;
    std::vector<std::string> choices; ///< empty: the answer is a number of bytes
    std::string answer; ///< the right choice, or the bytes in words ("192 MiB")
    std::uint64_t answerBytes = 0; ///< TrimBytes
    std::string explanation; ///< why, in the engine's words
};

/// The exercise of a seed at a level (1..kLevels); the kind follows the seed (seed % kExerciseKinds).
Exercise makeExercise(std::uint64_t seed, int level);

struct Grade {
    bool right = false;
    std::string words; ///< "Right." or "Not quite: the answer is X.", then the explanation
};
/// Grades an answer: a choice (case and spaces ignored), or bytes ("192MiB", "192 MiB", "201326592").
Grade grade(const Exercise& exercise, std::string_view answer);

} // namespace offerscope::practice
