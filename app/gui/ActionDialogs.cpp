// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/gui/ActionDialogs.h"

#include "core/Units.h"
#include "core/world/World.h"
#include "widgets/models/Format.h"
#include "widgets/models/SessionDocument.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <set>

namespace offerscope::app {

namespace {

// A form dialog with OK/Cancel; `check` runs on OK and may refuse with a message.
class FormDialog : public QDialog {
public:
    FormDialog(QWidget* parent, const QString& title, const QString& help)
        : QDialog(parent)
        , form(new QFormLayout)
    {
        setWindowTitle(title);
        auto* layout = new QVBoxLayout(this);
        if (!help.isEmpty()) {
            auto* label = new QLabel(help, this);
            label->setWordWrap(true);
            layout->addWidget(label);
        }
        layout->addLayout(form);
        error = new QLabel(this);
        error->setStyleSheet(QStringLiteral("color:#c0392b"));
        error->setWordWrap(true);
        error->hide();
        layout->addWidget(error);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
        layout->addWidget(buttons);
        connect(buttons, &QDialogButtonBox::accepted, this, [this] {
            const QString why = check ? check() : QString();
            if (why.isEmpty()) {
                accept();
            } else {
                error->setText(why);
                error->show();
            }
        });
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    }
    QFormLayout* form;
    QLabel* error;
    std::function<QString()> check;
};

QComboBox* segmentBox(QWidget* parent, const models::SessionDocument& document)
{
    auto* box = new QComboBox(parent);
    const auto& segments = document.adapterConfig().segments;
    for (const auto& s : segments)
        box->addItem(
            QStringLiteral("%1 (%2)").arg(QString::fromStdString(s.name), QString::fromStdString(formatBytes(s.size))));
    return box;
}

QComboBox* processBox(QWidget* parent, const models::SessionDocument& document)
{
    auto* box = new QComboBox(parent);
    for (const auto& p : document.world()->scenario().processes)
        box->addItem(QString::fromStdString(p.name));
    return box;
}

enum class Zero { Allowed, Refused };

// Parses a size field; empty optional with a message naming the field when it is not a size. Where a
// size of 0 means nothing (an allocation, a commit), it is refused too: the scenario format refuses it,
// so a session saved with it could not be opened again.
std::optional<std::uint64_t> sizeOf(const QLineEdit* edit, const QString& field, QString* why, Zero zero)
{
    const auto bytes = parseBytes(edit->text().trimmed().toStdString());
    if (!bytes)
        *why = QObject::tr("%1: '%2' is not a size (write e.g. 64MiB, 1.5GiB or 4096)").arg(field, edit->text());
    else if (*bytes == 0 && zero == Zero::Refused)
        *why = QObject::tr("%1: give a size greater than 0.").arg(field);
    else
        return bytes;
    return std::nullopt;
}

} // namespace

std::optional<scenario::Step> askCreate(QWidget* parent, const models::SessionDocument& document)
{
    FormDialog dialog(parent, QObject::tr("Create allocations"),
        QObject::tr("A resource with one or more allocations, created on a device and made resident."));
    std::set<std::string> used;
    for (const std::string& name : document.world()->knownNames())
        used.insert(name);
    for (const auto& s : document.world()->scenario().steps)
        used.insert(s.name);
    int n = 1;
    while (used.count("alloc" + std::to_string(n)))
        ++n;
    auto* name = new QLineEdit(QStringLiteral("alloc%1").arg(n), &dialog);
    auto* device = new QComboBox(&dialog);
    for (const auto& p : document.world()->scenario().processes)
        for (const auto& d : p.devices)
            device->addItem(
                QStringLiteral("%1 (%2)").arg(QString::fromStdString(d.name), QString::fromStdString(p.name)),
                QString::fromStdString(d.name));
    auto* size = new QLineEdit(QStringLiteral("64MiB"), &dialog);
    auto* count = new QSpinBox(&dialog);
    count->setRange(1, 1024);
    auto* segment = segmentBox(&dialog, document);
    dialog.form->addRow(QObject::tr("Name:"), name);
    dialog.form->addRow(QObject::tr("Device:"), device);
    dialog.form->addRow(QObject::tr("Size of each:"), size);
    dialog.form->addRow(QObject::tr("Allocations:"), count);
    dialog.form->addRow(QObject::tr("Segment:"), segment);
    scenario::Step step;
    dialog.check = [&] {
        QString why;
        const std::string text = name->text().trimmed().toStdString();
        if (text.empty() || text.find_first_of("[] ") != std::string::npos)
            return QObject::tr("Name: give a name without spaces or brackets.");
        if (used.count(text))
            return QObject::tr("Name: '%1' is already used in this session.").arg(name->text());
        if (device->count() == 0)
            return QObject::tr("Device: the scenario has no device.");
        const auto bytes = sizeOf(size, QObject::tr("Size"), &why, Zero::Refused);
        if (!bytes)
            return why;
        step.kind = scenario::StepKind::Create;
        step.name = text;
        step.device = device->currentData().toString().toStdString();
        step.bytes = *bytes;
        step.count = static_cast<std::uint32_t>(count->value());
        step.segment = static_cast<std::uint32_t>(segment->currentIndex());
        return QString();
    };
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return step;
}

std::optional<scenario::Step> askOffer(QWidget* parent, const std::vector<std::string>& names)
{
    FormDialog dialog(parent, QObject::tr("Offer allocations"),
        QObject::tr("D3DKMTOfferAllocations on %n allocation(s). VidMm may discard offered memory whenever it "
                    "needs memory; reclaim before use.",
            nullptr, static_cast<int>(names.size())));
    auto* priority = new QComboBox(&dialog);
    priority->addItem(QStringLiteral("LOW — content worthless, discarded first"), 1);
    priority->addItem(QStringLiteral("NORMAL — cheap to regenerate"), 2);
    priority->addItem(QStringLiteral("HIGH — expensive to regenerate, discarded last"), 3);
    priority->addItem(QStringLiteral("AUTO — level from the residency priority"), 4);
    priority->setCurrentIndex(1);
    auto* immediately = new QCheckBox(QStringLiteral("OfferImmediately"), &dialog);
    immediately->setToolTip(QObject::tr("Do not wait for queued GPU work: the caller vouches the GPU is done."));
    auto* decommit = new QCheckBox(QStringLiteral("AllowDecommit"), &dialog);
    decommit->setToolTip(QObject::tr("Under system commit pressure VidMm may also release the backing store: a "
                                     "reclaim then answers NOT_COMMITTED."));
    dialog.form->addRow(QObject::tr("Priority:"), priority);
    dialog.form->addRow(QObject::tr("Flags:"), immediately);
    dialog.form->addRow(QString(), decommit);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    scenario::Step step;
    step.kind = scenario::StepKind::Offer;
    step.names = names;
    step.priority = static_cast<OfferPriority>(priority->currentData().toInt());
    step.flags = (immediately->isChecked() ? D3DKMT_OFFER_FLAGS::kOfferImmediately : 0u)
        | (decommit->isChecked() ? D3DKMT_OFFER_FLAGS::kAllowDecommit : 0u);
    return step;
}

std::optional<scenario::Step> askGpuWork(QWidget* parent, const std::vector<std::string>& names)
{
    FormDialog dialog(parent, QObject::tr("Submit GPU work"),
        QObject::tr("GPU work that uses %n allocation(s); it retires on the device's fence after its duration. "
                    "Using offered or discarded memory is a GPU fault.",
            nullptr, static_cast<int>(names.size())));
    auto* duration = new QSpinBox(&dialog);
    duration->setRange(1, 10'000'000);
    duration->setValue(500);
    duration->setSuffix(QStringLiteral(" µs"));
    dialog.form->addRow(QObject::tr("Duration:"), duration);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    scenario::Step step;
    step.kind = scenario::StepKind::Gpu;
    step.names = names;
    step.microseconds = static_cast<std::uint64_t>(duration->value());
    return step;
}

std::optional<scenario::Step> askPressure(QWidget* parent, const models::SessionDocument& document)
{
    FormDialog dialog(parent, QObject::tr("Pressure from another process"),
        QObject::tr("Another process commits memory in a segment. When the segment is full, VidMm takes offered "
                    "memory first (LOW, then NORMAL, then HIGH), then evicts."));
    auto* process = processBox(&dialog, document);
    if (process->count() > 1)
        process->setCurrentIndex(process->count() - 1);
    auto* segment = segmentBox(&dialog, document);
    auto* size = new QLineEdit(QStringLiteral("512MiB"), &dialog);
    dialog.form->addRow(QObject::tr("Process:"), process);
    dialog.form->addRow(QObject::tr("Segment:"), segment);
    dialog.form->addRow(QObject::tr("Commits:"), size);
    scenario::Step step;
    dialog.check = [&] {
        QString why;
        const auto bytes = sizeOf(size, QObject::tr("Commits"), &why, Zero::Refused);
        if (!bytes)
            return why;
        step.kind = scenario::StepKind::Pressure;
        step.process = process->currentText().toStdString();
        step.segment = static_cast<std::uint32_t>(segment->currentIndex());
        step.bytes = *bytes;
        return QString();
    };
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return step;
}

std::optional<scenario::Step> askBudget(QWidget* parent, const models::SessionDocument& document)
{
    FormDialog dialog(parent, QObject::tr("Change a budget"),
        QObject::tr("The OS changes a process' budget (e.g. it goes to the background). Shrinking it below the "
                    "process' usage makes VidMm take that process' offers first, then evict."));
    auto* process = processBox(&dialog, document);
    auto* group = new QComboBox(&dialog);
    group->addItem(QObject::tr("local (video memory)"));
    group->addItem(QObject::tr("non-local (system memory)"));
    auto* size = new QLineEdit(QStringLiteral("256MiB"), &dialog);
    dialog.form->addRow(QObject::tr("Process:"), process);
    dialog.form->addRow(QObject::tr("Segment group:"), group);
    dialog.form->addRow(QObject::tr("New budget:"), size);
    scenario::Step step;
    dialog.check = [&] {
        QString why;
        const auto bytes = sizeOf(size, QObject::tr("New budget"), &why, Zero::Allowed);
        if (!bytes)
            return why;
        step.kind = scenario::StepKind::Budget;
        step.process = process->currentText().toStdString();
        step.group = static_cast<MemorySegmentGroup>(group->currentIndex());
        step.bytes = *bytes;
        return QString();
    };
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return step;
}

std::vector<scenario::Step> askSettings(QWidget* parent, const models::SessionDocument& document)
{
    const sim::SimPolicy policy = document.world()->policy();
    const sim::VerifierSwitches verifier = document.world()->verifier();
    FormDialog dialog(parent, QObject::tr("Policy and verifier"),
        QObject::tr("What-if settings of the simulated VidMm. Windows does not document these choices; the "
                    "defaults follow the domain reference."));
    auto* order = new QComboBox(&dialog);
    for (auto o : { sim::WithinPriorityOrder::OldestOfferFirst, sim::WithinPriorityOrder::LargestFirst,
             sim::WithinPriorityOrder::SmallestFirst })
        order->addItem(models::toQString(sim::withinPriorityOrderName(o)), static_cast<int>(o));
    order->setCurrentIndex(static_cast<int>(policy.withinPriorityOrder));
    auto* reject = new QCheckBox(QObject::tr("Reject redundant offers and reclaims"), &dialog);
    reject->setChecked(policy.rejectRedundantCalls);
    auto* counts = new QCheckBox(QObject::tr("Offered bytes count in CurrentUsage"), &dialog);
    counts->setChecked(policy.offeredCountsInUsage);
    auto* enforce = new QCheckBox(QObject::tr("Enforce a shrunk budget at once"), &dialog);
    enforce->setChecked(policy.enforceBudgetOnShrink);
    auto* always = new QCheckBox(QObject::tr("Verifier: always discard offers"), &dialog);
    always->setChecked(verifier.alwaysDiscardOffer);
    auto* never = new QCheckBox(QObject::tr("Verifier: never discard offers"), &dialog);
    never->setChecked(verifier.neverDiscardOffer);
    auto* decommit = new QCheckBox(QObject::tr("Verifier: always decommit AllowDecommit offers"), &dialog);
    decommit->setChecked(verifier.alwaysDecommitOffer);
    auto* process = new QCheckBox(QObject::tr("Verifier: any pressure empties the offer list"), &dialog);
    process->setChecked(verifier.alwaysProcessOfferList);
    dialog.form->addRow(QObject::tr("Order within a priority:"), order);
    for (QCheckBox* box : { reject, counts, enforce, always, never, decommit, process })
        dialog.form->addRow(QString(), box);
    if (dialog.exec() != QDialog::Accepted)
        return {};
    std::vector<scenario::Step> steps;
    sim::SimPolicy p = policy;
    p.withinPriorityOrder = static_cast<sim::WithinPriorityOrder>(order->currentData().toInt());
    p.rejectRedundantCalls = reject->isChecked();
    p.offeredCountsInUsage = counts->isChecked();
    p.enforceBudgetOnShrink = enforce->isChecked();
    if (!(p == policy)) {
        scenario::Step s;
        s.kind = scenario::StepKind::Policy;
        s.policy = p;
        steps.push_back(s);
    }
    sim::VerifierSwitches v { always->isChecked(), never->isChecked(), decommit->isChecked(), process->isChecked() };
    if (!(v == verifier)) {
        scenario::Step s;
        s.kind = scenario::StepKind::Verifier;
        s.verifier = v;
        steps.push_back(s);
    }
    return steps;
}

std::vector<WhatIfChoice> whatIfChoices(const world::World& world)
{
    std::vector<WhatIfChoice> out;
    const sim::SimPolicy policy = world.policy();
    const sim::VerifierSwitches verifier = world.verifier();
    const auto flip = [](bool now) { return now ? QStringLiteral("false") : QStringLiteral("true"); };
    QStringList orders;
    for (auto o : { sim::WithinPriorityOrder::OldestOfferFirst, sim::WithinPriorityOrder::LargestFirst,
             sim::WithinPriorityOrder::SmallestFirst })
        if (o != policy.withinPriorityOrder)
            orders << models::toQString(sim::withinPriorityOrderName(o));
    out.push_back({ QStringLiteral("policy.withinPriorityOrder"), QObject::tr("Order within a priority"), orders });
    out.push_back({ QStringLiteral("policy.offeredCountsInUsage"), QObject::tr("Offered bytes count in CurrentUsage"),
        { flip(policy.offeredCountsInUsage) } });
    out.push_back({ QStringLiteral("policy.enforceBudgetOnShrink"), QObject::tr("Enforce a shrunk budget at once"),
        { flip(policy.enforceBudgetOnShrink) } });
    out.push_back({ QStringLiteral("policy.rejectRedundantCalls"), QObject::tr("Reject redundant offers and reclaims"),
        { flip(policy.rejectRedundantCalls) } });
    out.push_back({ QStringLiteral("verifier.neverDiscardOffer"), QObject::tr("Verifier: never discard offers"),
        { flip(verifier.neverDiscardOffer) } });
    out.push_back({ QStringLiteral("verifier.alwaysDiscardOffer"), QObject::tr("Verifier: always discard offers"),
        { flip(verifier.alwaysDiscardOffer) } });
    out.push_back({ QStringLiteral("verifier.alwaysDecommitOffer"),
        QObject::tr("Verifier: always decommit AllowDecommit offers"), { flip(verifier.alwaysDecommitOffer) } });
    out.push_back({ QStringLiteral("verifier.alwaysProcessOfferList"),
        QObject::tr("Verifier: any pressure empties the offer list"), { flip(verifier.alwaysProcessOfferList) } });
    const scenario::Scenario& s = world.scenario();
    for (const scenario::ProcessSpec& p : s.processes) {
        const QString name = QString::fromStdString(p.name);
        for (int g = 0; g < kSegmentGroupCount; ++g) {
            const QString key = QStringLiteral("budget.%1.%2")
                                    .arg(name, g == 0 ? QStringLiteral("local") : QStringLiteral("nonLocal"));
            QStringList sizes;
            const std::uint64_t now = p.budget[g].value_or(0);
            for (std::uint64_t mib : { 128ull, 256ull, 512ull, 1024ull, 2048ull })
                if (mib * 1024 * 1024 != now)
                    sizes << QStringLiteral("%1MiB").arg(mib);
            out.push_back({ key,
                QObject::tr("Budget of %1 (%2)").arg(name, g == 0 ? QObject::tr("local") : QObject::tr("non-local")),
                sizes });
        }
        out.push_back({ QStringLiteral("processVerifier.%1.alwaysFailCommitOnReclaim").arg(name),
            QObject::tr("Verifier of %1: every recommit on reclaim fails").arg(name),
            { flip(p.verifier.alwaysFailCommitOnReclaim) } });
    }
    for (std::size_t i = 0; i < s.steps.size(); ++i) {
        const scenario::Step& step = s.steps[i];
        if (step.kind != scenario::StepKind::Offer)
            continue;
        QStringList names;
        for (const std::string& n : step.names)
            names << QString::fromStdString(n);
        QStringList priorities;
        for (OfferPriority p : { OfferPriority::Low, OfferPriority::Normal, OfferPriority::High, OfferPriority::Auto })
            if (p != step.priority)
                priorities << models::priorityText(p);
        out.push_back({ QStringLiteral("step.%1.priority").arg(i + 1),
            QObject::tr("Step %1: the priority of the offer of %2 (%3)")
                .arg(i + 1)
                .arg(names.join(QStringLiteral(", ")), models::priorityText(step.priority)),
            priorities });
    }
    return out;
}

std::optional<QString> askWhatIf(QWidget* parent, const world::World& world)
{
    const std::vector<WhatIfChoice> choices = whatIfChoices(world);
    FormDialog dialog(parent, QObject::tr("What if…"),
        QObject::tr("Run the same steps once more with one thing changed, beside this run and stepping with it. "
                    "The first place where the two part is marked and explained."));
    auto* what = new QComboBox(&dialog);
    what->setObjectName(QStringLiteral("whatIfKey"));
    for (const WhatIfChoice& c : choices)
        what->addItem(c.label, c.key);
    auto* value = new QComboBox(&dialog);
    value->setObjectName(QStringLiteral("whatIfValue"));
    value->setEditable(true);
    const auto fill = [&choices, value](int index) {
        value->clear();
        if (index >= 0 && index < static_cast<int>(choices.size()))
            value->addItems(choices[static_cast<std::size_t>(index)].values);
    };
    QObject::connect(what, &QComboBox::currentIndexChanged, &dialog, fill);
    fill(0);
    dialog.form->addRow(QObject::tr("Change:"), what);
    dialog.form->addRow(QObject::tr("To:"), value);
    dialog.check = [value] {
        return value->currentText().trimmed().isEmpty() ? QObject::tr("Give the value to try.") : QString();
    };
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return what->currentData().toString() + QLatin1Char('=') + value->currentText().trimmed();
}

} // namespace offerscope::app
