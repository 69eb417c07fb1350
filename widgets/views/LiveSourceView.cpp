// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/views/LiveSourceView.h"

#include "core/Units.h"
#include "widgets/models/LiveSourceModels.h"
#include "widgets/views/TableView.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace offerscope::widgets {

LiveSourceView::LiveSourceView(models::LiveSession* session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_readings(new models::LiveReadingsModel(session, this))
    , m_comparison(new models::ProbeComparisonModel(session, this))
{
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("<b>%1</b> — every view shows it. “–”: not reported by the driver.").arg(session->name()), this), 1);
    top->addWidget(new QLabel(tr("Read"), this));
    m_interval = new QComboBox(this);
    m_interval->setObjectName(QStringLiteral("liveInterval"));
    m_interval->setToolTip(tr("How often the adapter's statistics and budgets are read (D3DKMTQueryStatistics, "
                              "QueryVideoMemoryInfo); each reading updates every view"));
    for (const auto& [label, ms] : { std::pair { tr("every 250 ms"), 250 }, { tr("every 500 ms"), 500 },
             { tr("every second"), 1000 }, { tr("every 2 s"), 2000 }, { tr("every 5 s"), 5000 }, { tr("paused"), 0 } })
        m_interval->addItem(label, ms);
    m_interval->setCurrentIndex(2);
    top->addWidget(m_interval);
    auto* readNow = new QPushButton(tr("Read now"), this);
    readNow->setObjectName(QStringLiteral("liveReadNow"));
    top->addWidget(readNow);
    layout->addLayout(top);
    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* readings = new TableView(split);
    readings->setObjectName(QStringLiteral("liveReadings"));
    readings->setModel(m_readings);
    auto* probeBox = new QWidget(split);
    auto* probeLayout = new QVBoxLayout(probeBox);
    probeLayout->setContentsMargins(0, 0, 0, 0);
    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("liveProblems"));
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("color:#8a5a00"));
    layout->addWidget(m_problems);

    auto* form = new QHBoxLayout;
    m_sizes = new QLineEdit(QStringLiteral("64MiB,64MiB,16MiB"), this);
    m_sizes->setObjectName(QStringLiteral("probeSizes"));
    m_sizes->setToolTip(tr("One probe resource (a real D3D11 buffer of this program) per size"));
    m_priority = new QComboBox(this);
    m_priority->addItems({ QStringLiteral("LOW"), QStringLiteral("NORMAL"), QStringLiteral("HIGH") });
    m_pressure = new QLineEdit(QStringLiteral("512MiB"), this);
    m_pressure->setObjectName(QStringLiteral("probePressure"));
    m_pressure->setToolTip(tr("Filler resources created after the offer, before the reclaim"));
    auto* run = new QPushButton(tr("Run probe"), this);
    run->setObjectName(QStringLiteral("runProbe"));
    form->addWidget(new QLabel(tr("Probes:"), this));
    form->addWidget(m_sizes, 2);
    form->addWidget(new QLabel(tr("offered at"), this));
    form->addWidget(m_priority);
    form->addWidget(new QLabel(tr("pressure"), this));
    form->addWidget(m_pressure, 1);
    form->addWidget(run);
    probeLayout->addLayout(form);
    m_message = new QLabel(probeBox);
    m_message->setObjectName(QStringLiteral("probeMessage"));
    probeLayout->addWidget(m_message);
    auto* comparison = new TableView(probeBox);
    comparison->setObjectName(QStringLiteral("probeComparison"));
    comparison->setModel(m_comparison);
    probeLayout->addWidget(comparison, 1);
    split->addWidget(readings);
    split->addWidget(probeBox);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    layout->addWidget(split, 1);

    connect(run, &QPushButton::clicked, this, &LiveSourceView::runProbe);
    connect(m_interval, &QComboBox::currentIndexChanged, this,
        [this] { m_session->setInterval(m_interval->currentData().toInt()); });
    connect(readNow, &QPushButton::clicked, session, &models::LiveSession::readNow);
    connect(session, &models::LiveSession::sampled, this, [this, readings] {
        m_readings->refresh();
        readings->fitColumnsAsItGrows();
        showProblems();
    });
    connect(session, &models::LiveSession::probed, this, [this, comparison] {
        m_comparison->refresh();
        comparison->fitColumns(420);
        int differing = 0;
        for (const live::ProbeComparison& c : m_session->comparison())
            differing += c.differs ? 1 : 0;
        m_message->setText(tr("%1 of %2 probes differ from the model's prediction.")
                               .arg(differing)
                               .arg(m_session->comparison().size()));
        showProblems();
    });
    showProblems();
    session->setInterval(m_interval->currentData().toInt());
}

void LiveSourceView::showProblems()
{
    const QStringList problems = m_session->problems();
    m_problems->setText(problems.isEmpty() ? QString() : tr("What this source cannot do here: ") + problems.join(QStringLiteral("; ")));
    m_problems->setVisible(!problems.isEmpty());
}

bool LiveSourceView::runProbe()
{
    live::ProbePlan plan;
    for (const QString& item : m_sizes->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto bytes = parseBytes(item.trimmed().toStdString());
        if (!bytes || *bytes == 0) {
            m_message->setText(tr("Probe sizes: “%1” is not a size (e.g. 64MiB).").arg(item.trimmed()));
            return false;
        }
        plan.sizes.push_back(*bytes);
    }
    if (plan.sizes.empty()) {
        m_message->setText(tr("Probe sizes: give at least one size."));
        return false;
    }
    const auto pressure = parseBytes(m_pressure->text().trimmed().toStdString());
    if (!pressure) {
        m_message->setText(tr("Pressure: “%1” is not a size.").arg(m_pressure->text().trimmed()));
        return false;
    }
    plan.pressureBytes = *pressure;
    plan.priority = static_cast<OfferPriority>(static_cast<int>(OfferPriority::Low) + m_priority->currentIndex());
    m_session->runProbe(plan); // on the worker: probed() brings the comparison
    m_message->setText(tr("Running %1 probe(s) on the live source and on the model…").arg(plan.sizes.size()));
    return true;
}

} // namespace offerscope::widgets
