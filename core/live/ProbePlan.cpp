// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/live/ProbePlan.h"

#include "core/Units.h"

#include <algorithm>
#include <optional>

namespace offerscope::live {

namespace {

scenario::Step create(const std::string& name, const std::string& device, std::uint64_t bytes)
{
    scenario::Step s;
    s.kind = scenario::StepKind::Create;
    s.name = name;
    s.device = device;
    s.bytes = bytes;
    return s;
}

scenario::Step destroy(const std::string& name)
{
    scenario::Step s;
    s.kind = scenario::StepKind::Destroy;
    s.name = name;
    return s;
}

std::string probeName(const std::string& prefix, std::size_t i)
{
    return prefix + " " + std::to_string(i + 1);
}

/// One probe's way through a run on one side, as one line.
struct ProbeSide {
    std::optional<Status> create, offer, reclaim;
    std::optional<ReclaimResult> result;

    std::string text() const
    {
        if (!create)
            return "-";
        if (!create->ok())
            return "create " + std::string(ntStatusName(create->code()));
        std::string out = "offer " + (offer ? std::string(ntStatusName(offer->code())) : std::string("-"));
        out += " · reclaim " + (reclaim ? std::string(ntStatusName(reclaim->code())) : std::string("-"));
        if (result)
            out += ": " + std::string(reclaimResultName(*result));
        return out;
    }
};

std::string statusText(const std::optional<Status>& s)
{
    return s ? std::string(ntStatusName(s->code())) : "-";
}

} // namespace

std::vector<scenario::Step> probeSteps(const ProbePlan& plan, const std::string& device, const std::string& prefix)
{
    std::vector<scenario::Step> steps;
    scenario::Step say;
    say.kind = scenario::StepKind::Say;
    say.text = "Probe run: " + std::to_string(plan.sizes.size()) + " probe(s) offered at "
        + std::string(offerPriorityName(plan.priority)) + (plan.allowDecommit ? " with AllowDecommit" : "") + ", "
        + formatBytes(plan.pressureBytes) + " of filler on the same device, then reclaimed: the driver answers, "
        + "the model predicts.";
    steps.push_back(std::move(say));
    std::vector<std::string> allocations;
    for (std::size_t i = 0; i < plan.sizes.size(); ++i) {
        steps.push_back(create(probeName(prefix, i), device, plan.sizes[i]));
        allocations.push_back(probeName(prefix, i) + "[0]");
    }
    if (allocations.empty())
        return steps;
    scenario::Step offer;
    offer.kind = scenario::StepKind::Offer;
    offer.names = allocations;
    offer.priority = plan.priority;
    offer.flags = plan.allowDecommit ? D3DKMT_OFFER_FLAGS::kAllowDecommit : 0;
    steps.push_back(std::move(offer));
    std::vector<std::string> filler;
    for (std::uint64_t made = 0; made < plan.pressureBytes; made += kFillerChunk) {
        filler.push_back(prefix + " filler " + std::to_string(filler.size() + 1));
        steps.push_back(create(filler.back(), device, std::min(kFillerChunk, plan.pressureBytes - made)));
    }
    scenario::Step reclaim;
    reclaim.kind = scenario::StepKind::Reclaim;
    reclaim.names = allocations;
    reclaim.reclaimVersion = 2;
    steps.push_back(std::move(reclaim));
    // Real memory on a real device: a run leaves nothing behind.
    for (const std::string& f : filler)
        steps.push_back(destroy(f));
    for (std::size_t i = 0; i < plan.sizes.size(); ++i)
        steps.push_back(destroy(probeName(prefix, i)));
    return steps;
}

std::string freshProbePrefix(const std::vector<std::string>& known)
{
    for (int run = 1;; ++run) {
        const std::string prefix = run == 1 ? std::string("probe") : "run " + std::to_string(run) + " probe";
        const bool taken = std::any_of(
            known.begin(), known.end(), [&](const std::string& name) { return name.rfind(prefix + " ", 0) == 0; });
        if (!taken)
            return prefix;
    }
}

bool cleansUp(const scenario::Step& step)
{
    return step.kind == scenario::StepKind::Destroy;
}

std::vector<ProbeComparison> compareProbes(
    const std::vector<scenario::Step>& steps, const std::vector<LiveStepRecord>& records)
{
    struct Probe {
        std::string name;
        std::uint64_t size = 0;
        ProbeSide live, model;
    };
    std::vector<Probe> probes;
    auto find = [&](const std::string& allocation) -> Probe* {
        for (Probe& p : probes)
            if (p.name + "[0]" == allocation)
                return &p;
        return nullptr;
    };
    const std::size_t n = std::min(steps.size(), records.size());
    for (std::size_t i = 0; i < n; ++i) {
        const scenario::Step& s = steps[i];
        const LiveStepRecord& r = records[i];
        if (s.kind == scenario::StepKind::Create && s.name.find(" filler ") == std::string::npos) {
            Probe p;
            p.name = s.name;
            p.size = s.bytes;
            if (r.ran && r.live.call)
                p.live.create = r.live.status;
            if (r.model.call)
                p.model.create = r.model.status;
            probes.push_back(std::move(p));
        } else if (s.kind == scenario::StepKind::Offer || s.kind == scenario::StepKind::Reclaim) {
            const bool offer = s.kind == scenario::StepKind::Offer;
            for (const std::string& name : s.names) {
                Probe* p = find(name);
                if (p == nullptr)
                    continue;
                for (auto [side, outcome] : { std::pair { &p->live, &r.live }, std::pair { &p->model, &r.model } }) {
                    // A probe that was never made is not part of the call (the world skips unknown names).
                    if (!outcome->call || !side->create || !side->create->ok())
                        continue;
                    (offer ? side->offer : side->reclaim) = outcome->status;
                    if (!offer)
                        for (const auto& [resultName, result] : outcome->results)
                            if (resultName == name)
                                side->result = result;
                }
            }
        }
    }
    std::vector<ProbeComparison> out;
    for (const Probe& p : probes) {
        ProbeComparison c;
        c.name = p.name;
        c.size = p.size;
        c.live = p.live.text();
        c.model = p.model.text();
        const auto codeOf = [](const std::optional<Status>& s) { return s ? std::optional(s->code()) : std::nullopt; };
        if (codeOf(p.live.create) != codeOf(p.model.create)) {
            c.differs = true;
            c.why = "creating it: the driver answered " + statusText(p.live.create) + ", the model "
                + statusText(p.model.create);
        } else if (codeOf(p.live.offer) != codeOf(p.model.offer)) {
            c.differs = true;
            c.why = "offering it: the driver answered " + statusText(p.live.offer) + ", the model "
                + statusText(p.model.offer);
        } else if (codeOf(p.live.reclaim) != codeOf(p.model.reclaim) || p.live.result != p.model.result) {
            c.differs = true;
            c.why = "reclaiming it: the driver gave "
                + (p.live.result ? std::string(reclaimResultName(*p.live.result)) : std::string("no result"))
                + ", the model predicted "
                + (p.model.result ? std::string(reclaimResultName(*p.model.result)) : std::string("no result"));
        }
        out.push_back(std::move(c));
    }
    return out;
}

} // namespace offerscope::live
