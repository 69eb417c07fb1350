// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTextBrowser;
class QVBoxLayout;

namespace offerscope::models {
class PracticeSession;
}

namespace offerscope::widgets {

/// Practice: the exercise asked now, a button per choice (or a field for a size), graded at once with
/// the engine's explanation, the score of the session, the level, the next exercise, and the state the
/// question is about (showStateRequested: the window opens it at the asked step).
class PracticeView final : public QWidget {
    Q_OBJECT
public:
    explicit PracticeView(models::PracticeSession* session, QWidget* parent = nullptr);

    /// Answers as the learner would by clicking a choice or typing a size and pressing Check.
    void answer(const QString& text);
    QString verdictText() const;
    QString scoreText() const;
    const std::vector<QPushButton*>& choiceButtons() const { return m_choices; }

signals:
    /// Show the state of the exercise in the window (its scenario, before the asked step).
    void showStateRequested();

private:
    void showExercise();
    void showGrade();

    models::PracticeSession* m_session;
    QLabel* m_title;
    QLabel* m_question;
    QVBoxLayout* m_choiceLayout;
    std::vector<QPushButton*> m_choices;
    QLineEdit* m_value;
    QPushButton* m_check;
    QTextBrowser* m_verdict;
    QLabel* m_score;
    QComboBox* m_level;
};

} // namespace offerscope::widgets
