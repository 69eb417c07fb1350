// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/PracticeView.h"

#include "widgets/models/PracticeSession.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace offerscope::widgets {

PracticeView::PracticeView(models::PracticeSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_title(new QLabel(this))
    , m_question(new QLabel(this))
    , m_choiceLayout(new QVBoxLayout)
    , m_value(new QLineEdit(this))
    , m_check(new QPushButton(tr("Check"), this))
    , m_verdict(new QTextBrowser(this))
    , m_score(new QLabel(this))
    , m_level(new QComboBox(this))
{
    setObjectName(QStringLiteral("practice"));
    m_question->setWordWrap(true);
    m_question->setObjectName(QStringLiteral("practiceQuestion"));
    QFont larger = m_question->font();
    larger.setPointSizeF(larger.pointSizeF() * 1.15);
    m_question->setFont(larger);
    m_value->setObjectName(QStringLiteral("practiceValue"));
    m_value->setPlaceholderText(tr("a size, e.g. 192MiB"));
    m_verdict->setObjectName(QStringLiteral("practiceVerdict"));
    m_verdict->setMinimumHeight(80);
    m_score->setObjectName(QStringLiteral("practiceScore"));
    for (int level = 1; level <= 3; ++level)
        m_level->addItem(level == 1 ? tr("Level 1: one rule at a time")
                : level == 2        ? tr("Level 2: the rules together")
                                    : tr("Level 3: the corners"),
            level);
    auto* next = new QPushButton(tr("Next exercise"), this);
    next->setObjectName(QStringLiteral("practiceNext"));
    auto* state = new QPushButton(tr("Show the state in the window"), this);
    state->setObjectName(QStringLiteral("practiceShowState"));
    state->setToolTip(tr("Opens the steps that build this state; step once to see what the engine does."));

    auto* valueRow = new QHBoxLayout;
    valueRow->addWidget(m_value, 1);
    valueRow->addWidget(m_check);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_level);
    bottom->addWidget(m_score, 1);
    bottom->addWidget(state);
    bottom->addWidget(next);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_question);
    layout->addLayout(m_choiceLayout);
    layout->addLayout(valueRow);
    layout->addWidget(m_verdict, 1);
    layout->addLayout(bottom);

    connect(m_check, &QPushButton::clicked, this, [this] { answer(m_value->text()); });
    connect(m_value, &QLineEdit::returnPressed, this, [this] { answer(m_value->text()); });
    connect(next, &QPushButton::clicked, m_session, &models::PracticeSession::next);
    connect(state, &QPushButton::clicked, this, &PracticeView::showStateRequested);
    connect(m_level, &QComboBox::currentIndexChanged, this,
        [this] { m_session->setLevel(m_level->currentData().toInt()); });
    connect(m_session, &models::PracticeSession::exerciseChanged, this, &PracticeView::showExercise);
    connect(m_session, &models::PracticeSession::graded, this, &PracticeView::showGrade);
    showExercise();
}

void PracticeView::answer(const QString& text)
{
    if (!text.trimmed().isEmpty())
        m_session->answer(text);
}

void PracticeView::showExercise()
{
    const practice::Exercise& x = m_session->exercise();
    m_title->setText(tr("<b>Exercise %1</b> · level %2 · %3")
                         .arg(x.seed)
                         .arg(x.level)
                         .arg(QString::fromUtf8(practice::exerciseKindName(x.kind))));
    m_question->setText(QString::fromStdString(x.question));
    for (QPushButton* b : m_choices)
        delete b;
    m_choices.clear();
    for (const std::string& choice : x.choices) {
        auto* b = new QPushButton(QString::fromStdString(choice), this);
        b->setObjectName(QStringLiteral("practiceChoice"));
        connect(b, &QPushButton::clicked, this, [this, b] { answer(b->text()); });
        m_choiceLayout->addWidget(b);
        m_choices.push_back(b);
    }
    const bool value = x.choices.empty();
    m_value->setVisible(value);
    m_check->setVisible(value);
    m_value->clear();
    m_verdict->clear();
    if (m_level->currentData().toInt() != x.level) {
        const QSignalBlocker block(m_level);
        m_level->setCurrentIndex(x.level - 1);
    }
    m_score->setText(scoreText());
}

void PracticeView::showGrade()
{
    const auto& g = m_session->grade();
    if (!g)
        return;
    const QString colour = g->right ? QStringLiteral("#2e7d32") : QStringLiteral("#c0392b");
    m_verdict->setHtml(QStringLiteral("<p style=\"color:%1\"><b>%2</b></p><p>%3</p>")
                           .arg(colour,
                               g->right ? tr("Right.")
                                        : tr("Not quite: the answer is %1.")
                                              .arg(QString::fromStdString(m_session->exercise().answer))
                                              .toHtmlEscaped(),
                               QString::fromStdString(m_session->exercise().explanation).toHtmlEscaped()));
    for (QPushButton* b : m_choices) {
        const bool isAnswer = b->text().toStdString() == m_session->exercise().answer;
        b->setStyleSheet(isAnswer ? QStringLiteral("font-weight:bold; color:#2e7d32") : QString());
    }
    m_score->setText(scoreText());
}

QString PracticeView::verdictText() const
{
    return m_verdict->toPlainText();
}

QString PracticeView::scoreText() const
{
    return tr("Score: %1 of %2").arg(m_session->right()).arg(m_session->answered());
}

} // namespace offerscope::widgets
