// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/practice/Practice.h"

#include <QObject>
#include <QString>
#include <optional>

namespace offerscope::models {

/// A learner's practice: the exercise asked now (made by the engine from a seed), whether it was
/// answered and how, and the score of the session. The practice view shows it; answering grades at once.
class PracticeSession final : public QObject {
    Q_OBJECT
public:
    explicit PracticeSession(QObject* parent = nullptr);

    /// The next exercise at `level` (1..3); seeds follow one another from `firstSeed`.
    void start(std::uint64_t firstSeed, int level);
    void next();
    void setLevel(int level);

    const practice::Exercise& exercise() const { return m_exercise; }
    int level() const { return m_level; }
    /// The grade of the answer given to this exercise (none yet: nullopt).
    const std::optional<practice::Grade>& grade() const { return m_grade; }
    /// Grades an answer (only the first counts for the score; later ones are graded but not counted).
    const practice::Grade& answer(const QString& answer);
    int right() const { return m_right; }
    int answered() const { return m_answered; }

signals:
    /// Another exercise is asked.
    void exerciseChanged();
    /// The exercise was answered (and graded).
    void graded();

private:
    practice::Exercise m_exercise;
    std::optional<practice::Grade> m_grade;
    std::uint64_t m_seed = 1;
    int m_level = 1;
    int m_right = 0;
    int m_answered = 0;
};

} // namespace offerscope::models
