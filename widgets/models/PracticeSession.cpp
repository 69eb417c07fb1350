// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/PracticeSession.h"

#include <algorithm>

namespace offerscope::models {

PracticeSession::PracticeSession(QObject* parent)
    : QObject(parent)
{
    m_exercise = practice::makeExercise(m_seed, m_level);
}

void PracticeSession::start(std::uint64_t firstSeed, int level)
{
    m_seed = firstSeed;
    m_level = std::clamp(level, 1, practice::kLevels);
    m_right = m_answered = 0;
    m_exercise = practice::makeExercise(m_seed, m_level);
    m_grade.reset();
    emit exerciseChanged();
}

void PracticeSession::next()
{
    m_exercise = practice::makeExercise(++m_seed, m_level);
    m_grade.reset();
    emit exerciseChanged();
}

void PracticeSession::setLevel(int level)
{
    level = std::clamp(level, 1, practice::kLevels);
    if (level == m_level)
        return;
    m_level = level;
    m_exercise = practice::makeExercise(m_seed, m_level);
    m_grade.reset();
    emit exerciseChanged();
}

const practice::Grade& PracticeSession::answer(const QString& answer)
{
    const bool first = !m_grade.has_value();
    m_grade = practice::grade(m_exercise, answer.toStdString());
    if (first) {
        ++m_answered;
        m_right += m_grade->right ? 1 : 0;
    }
    emit graded();
    return *m_grade;
}

} // namespace offerscope::models
