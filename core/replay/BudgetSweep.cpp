// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/replay/BudgetSweep.h"

#include "core/Units.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <thread>

namespace offerscope::replay {

std::vector<std::uint64_t> defaultBudgets(const AccessTrace& trace, std::size_t count)
{
    std::vector<std::uint64_t> sizeOf(trace.objectCount, 0);
    for (const TraceAccess& a : trace.accesses)
        if (a.object < sizeOf.size())
            sizeOf[a.object] = std::max(sizeOf[a.object], a.size);
    std::uint64_t largest = 0, all = 0;
    for (std::uint64_t size : sizeOf) {
        largest = std::max(largest, size);
        all += size;
    }
    std::vector<std::uint64_t> out;
    if (largest == 0 || count == 0)
        return out;
    all = std::max(all, largest);
    constexpr std::uint64_t kMiB = 1024 * 1024;
    for (std::size_t i = 0; i < count; ++i) {
        const double t = count == 1 ? 1.0 : static_cast<double>(i) / static_cast<double>(count - 1);
        auto budget = static_cast<std::uint64_t>(
            std::exp(std::log(static_cast<double>(largest)) * (1 - t) + std::log(static_cast<double>(all)) * t));
        if (budget > 16 * kMiB)
            budget = (budget + kMiB / 2) / kMiB * kMiB;
        out.push_back(std::max(budget, largest));
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::optional<std::size_t> kneeOf(const std::vector<SweepPoint>& points)
{
    if (points.size() < 3)
        return std::nullopt;
    const auto x0 = static_cast<double>(points.front().budget);
    const auto x1 = static_cast<double>(points.back().budget);
    const double y0 = points.front().missRatio(), y1 = points.back().missRatio();
    if (x1 <= x0 || y0 - y1 < 1e-9)
        return std::nullopt; // flat: more memory buys nothing anywhere
    // Scaled to 0..1 on both axes, the curve falls from (0, 1) to (1, 0); the knee is where it is
    // farthest below that chord, i.e. where x + y is smallest.
    std::optional<std::size_t> best;
    double bestGap = 1e-6;
    for (std::size_t i = 1; i + 1 < points.size(); ++i) {
        const double x = (static_cast<double>(points[i].budget) - x0) / (x1 - x0);
        const double y = (points[i].missRatio() - y1) / (y0 - y1);
        const double gap = 1.0 - x - y;
        if (gap > bestGap) {
            bestGap = gap;
            best = i;
        }
    }
    return best;
}

Result<BudgetCurve> sweepBudgets(const AccessTrace& trace, std::vector<std::uint64_t> budgets, ReplayOptions options,
    unsigned threads, const SweepProgress& progress)
{
    std::sort(budgets.begin(), budgets.end());
    budgets.erase(std::unique(budgets.begin(), budgets.end()), budgets.end());
    if (budgets.empty())
        return Status(NtStatus::InvalidParameter, "--sweep needs at least one budget");
    if (threads == 0)
        threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, static_cast<unsigned>(budgets.size()));

    std::vector<std::optional<Result<ReplayStats>>> results(budgets.size());
    std::atomic<std::size_t> next { 0 }, done { 0 };
    std::atomic<bool> stop { false };
    std::mutex reporting;
    const auto work = [&] {
        for (std::size_t i = next++; i < budgets.size() && !stop; i = next++) {
            if (progress.cancelled && progress.cancelled()) {
                stop = true;
                break;
            }
            ReplayOptions o = options;
            o.budget = budgets[i];
            results[i] = replayTrace(trace, o);
            const std::size_t finished = ++done;
            if (progress.report) {
                const std::lock_guard lock(reporting);
                progress.report(finished, budgets.size());
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(work);
    work();
    for (std::thread& t : pool)
        t.join();

    BudgetCurve curve;
    for (std::size_t i = 0; i < budgets.size(); ++i) {
        if (!results[i]) {
            curve.cancelled = true;
            continue;
        }
        if (!*results[i])
            return Status(results[i]->status(), formatBytes(budgets[i]) + ": " + results[i]->message());
        curve.points.push_back({ budgets[i], results[i]->value() });
    }
    curve.knee = kneeOf(curve.points);
    return curve;
}

std::string formatBudgetCurve(const BudgetCurve& curve)
{
    std::string out;
    char line[200];
    std::snprintf(line, sizeof line, "%12s %12s %12s %12s %11s %14s %14s\n", "budget", "creations", "OK", "DISCARDED",
        "miss ratio", "discard ratio", "regenerated");
    out += line;
    for (std::size_t i = 0; i < curve.points.size(); ++i) {
        const SweepPoint& p = curve.points[i];
        std::snprintf(line, sizeof line, "%12s %12llu %12llu %12llu %11.4f %14.4f %14s%s\n",
            formatBytes(p.budget).c_str(), static_cast<unsigned long long>(p.stats.creations),
            static_cast<unsigned long long>(p.stats.reclaimsOk),
            static_cast<unsigned long long>(p.stats.reclaimsDiscarded + p.stats.reclaimsNotCommitted), p.missRatio(),
            p.stats.discardRatio(), formatBytes(p.stats.bytesRegenerated).c_str(), curve.knee == i ? "   <- knee" : "");
        out += line;
    }
    if (curve.knee) {
        const SweepPoint& k = curve.points[*curve.knee];
        std::snprintf(line, sizeof line, "\nknee: %s (miss ratio %.4f): past it, more budget buys little\n",
            formatBytes(k.budget).c_str(), k.missRatio());
        out += line;
    } else if (curve.points.size() >= 3) {
        out += "\nno knee: the curve is flat or falls evenly\n";
    }
    out += "miss ratio = (creations + DISCARDED + too large) / accesses; discard ratio = (DISCARDED + "
           "NOT_COMMITTED) / reclaims\n";
    if (curve.cancelled)
        out += "(cancelled: only the budgets above were replayed)\n";
    return out;
}

} // namespace offerscope::replay
