// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/d3dkmt/CallFormatter.h"

#include "core/Units.h"

#include <cstdio>

namespace offerscope {
namespace {

constexpr UINT kMaxListed = 16; ///< longer arrays are shown as their first entries and a count

/// Values in a call as a driver developer writes them: no leading zeros.
std::string hex(std::uint64_t value)
{
    return formatHex(value, 1);
}

/// "{ a, b, c }" of the first kMaxListed entries, "NULL" for a null array.
template <typename T, typename F> std::string arrayText(const T* array, UINT count, F&& name)
{
    if (array == nullptr)
        return "NULL";
    std::string out = "{ ";
    for (UINT i = 0; i < count && i < kMaxListed; ++i) {
        if (i != 0)
            out += ", ";
        out += name(array[i]);
    }
    if (count > kMaxListed)
        out += ", ... (" + std::to_string(count) + " in all)";
    out += " }";
    return out;
}

std::string handleArray(const D3DKMT_HANDLE* array, UINT count)
{
    return arrayText(array, count, [](D3DKMT_HANDLE h) { return hex(h); });
}

class Writer {
public:
    explicit Writer(const char* type) { m_text = std::string(type) + " args = {};\n"; }
    void field(const char* name, const std::string& value, const char* comment = nullptr)
    {
        char buffer[40];
        std::snprintf(buffer, sizeof buffer, "args.%-24s= ", name);
        m_text += buffer;
        m_text += value;
        m_text += ';';
        if (comment != nullptr) {
            m_text += " // ";
            m_text += comment;
        }
        m_text += '\n';
    }
    std::string finish(const char* function, NtStatus status)
    {
        m_text += std::string(function) + "(&args); // " + std::string(ntStatusName(status));
        return m_text;
    }

private:
    std::string m_text;
};

std::string groupConstant(MemorySegmentGroup group)
{
    return group == MemorySegmentGroup::Local ? "D3DKMT_MEMORY_SEGMENT_GROUP_LOCAL"
                                              : "D3DKMT_MEMORY_SEGMENT_GROUP_NON_LOCAL";
}

std::string processHandle(HANDLE h)
{
    return h == 0 ? std::string("NULL") : hex(h);
}

} // namespace

std::string offerPriorityConstant(OfferPriority priority)
{
    switch (priority) {
    case OfferPriority::Low:
        return "D3DKMT_OFFER_PRIORITY_LOW";
    case OfferPriority::Normal:
        return "D3DKMT_OFFER_PRIORITY_NORMAL";
    case OfferPriority::High:
        return "D3DKMT_OFFER_PRIORITY_HIGH";
    case OfferPriority::Auto:
        return "D3DKMT_OFFER_PRIORITY_AUTO";
    case OfferPriority::None:
        break;
    }
    return "(D3DKMT_OFFER_PRIORITY)" + std::to_string(static_cast<std::uint32_t>(priority));
}

std::string formatCall(const D3DKMT_OFFERALLOCATIONS& args, NtStatus status)
{
    Writer w("D3DKMT_OFFERALLOCATIONS");
    w.field("hDevice", hex(args.hDevice));
    w.field("pResources", handleArray(args.pResources, args.NumAllocations));
    w.field("HandleList", handleArray(args.HandleList, args.NumAllocations));
    w.field("NumAllocations", std::to_string(args.NumAllocations));
    w.field("Priority", offerPriorityConstant(args.Priority));
    std::string flags;
    if (args.Flags.OfferImmediately())
        flags += "OfferImmediately";
    if (args.Flags.AllowDecommit())
        flags += flags.empty() ? "AllowDecommit" : " | AllowDecommit";
    w.field("Flags.Value", hex(args.Flags.Value), flags.empty() ? nullptr : flags.c_str());
    return w.finish("D3DKMTOfferAllocations", status);
}

std::string formatCall(const D3DKMT_RECLAIMALLOCATIONS& args, NtStatus status)
{
    Writer w("D3DKMT_RECLAIMALLOCATIONS");
    w.field("hDevice", hex(args.hDevice));
    w.field("pResources", handleArray(args.pResources, args.NumAllocations));
    w.field("HandleList", handleArray(args.HandleList, args.NumAllocations));
    w.field("pDiscarded", arrayText(args.pDiscarded, args.NumAllocations, [](BOOL b) { return b ? "TRUE" : "FALSE"; }),
        "out");
    w.field("NumAllocations", std::to_string(args.NumAllocations));
    return w.finish("D3DKMTReclaimAllocations", status);
}

std::string formatCall(const D3DKMT_RECLAIMALLOCATIONS2& args, bool resultsAsEnum, NtStatus status)
{
    Writer w("D3DKMT_RECLAIMALLOCATIONS2");
    w.field("hPagingQueue", hex(args.hPagingQueue));
    w.field("NumAllocations", std::to_string(args.NumAllocations));
    w.field("pResources", handleArray(args.pResources, args.NumAllocations));
    w.field("HandleList", handleArray(args.HandleList, args.NumAllocations));
    if (resultsAsEnum)
        w.field("pResults",
            arrayText(args.pResults, args.NumAllocations,
                [](ReclaimResult r) { return "D3DDDI_RECLAIM_RESULT_" + std::string(reclaimResultName(r)); }),
            "out");
    else
        w.field("pDiscarded",
            arrayText(args.pDiscarded, args.NumAllocations, [](BOOL b) { return b ? "TRUE" : "FALSE"; }), "out");
    w.field("PagingFenceValue", std::to_string(args.PagingFenceValue), "out");
    return w.finish("D3DKMTReclaimAllocations2", status);
}

std::string formatCall(const D3DDDI_MAKERESIDENT& args, NtStatus status)
{
    Writer w("D3DDDI_MAKERESIDENT");
    w.field("hPagingQueue", hex(args.hPagingQueue));
    w.field("NumAllocations", std::to_string(args.NumAllocations));
    w.field("AllocationList", handleArray(args.AllocationList, args.NumAllocations));
    w.field("PriorityList", arrayText(args.PriorityList, args.NumAllocations, [](UINT p) { return hex(p); }));
    std::string flags;
    if (args.Flags.CantTrimFurther())
        flags += "CantTrimFurther";
    if (args.Flags.MustSucceed())
        flags += flags.empty() ? "MustSucceed" : " | MustSucceed";
    w.field("Flags.Value", hex(args.Flags.Value), flags.empty() ? nullptr : flags.c_str());
    w.field("PagingFenceValue", std::to_string(args.PagingFenceValue), "out");
    w.field("NumBytesToTrim", std::to_string(args.NumBytesToTrim), "out");
    return w.finish("D3DKMTMakeResident", status);
}

std::string formatCall(const D3DKMT_EVICT& args, NtStatus status)
{
    Writer w("D3DKMT_EVICT");
    w.field("hDevice", hex(args.hDevice));
    w.field("NumAllocations", std::to_string(args.NumAllocations));
    w.field("AllocationList", handleArray(args.AllocationList, args.NumAllocations));
    w.field("Flags.Value", hex(args.Flags.Value), args.Flags.EvictOnlyIfNecessary() ? "EvictOnlyIfNecessary" : nullptr);
    w.field("NumBytesToTrim", std::to_string(args.NumBytesToTrim), "out");
    return w.finish("D3DKMTEvict", status);
}

std::string formatCall(const D3DKMT_QUERYVIDEOMEMORYINFO& args, NtStatus status)
{
    Writer w("D3DKMT_QUERYVIDEOMEMORYINFO");
    w.field("hProcess", processHandle(args.hProcess));
    w.field("hAdapter", hex(args.hAdapter));
    w.field("MemorySegmentGroup", groupConstant(args.MemorySegmentGroup));
    w.field("Budget", std::to_string(args.Budget), "out");
    w.field("CurrentUsage", std::to_string(args.CurrentUsage), "out");
    w.field("CurrentReservation", std::to_string(args.CurrentReservation), "out");
    w.field("AvailableForReservation", std::to_string(args.AvailableForReservation), "out");
    w.field("PhysicalAdapterIndex", std::to_string(args.PhysicalAdapterIndex));
    return w.finish("D3DKMTQueryVideoMemoryInfo", status);
}

std::string formatCall(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args, NtStatus status)
{
    Writer w("D3DKMT_CHANGEVIDEOMEMORYRESERVATION");
    w.field("hProcess", processHandle(args.hProcess));
    w.field("hAdapter", hex(args.hAdapter));
    w.field("MemorySegmentGroup", groupConstant(args.MemorySegmentGroup));
    w.field("Reservation", std::to_string(args.Reservation));
    w.field("PhysicalAdapterIndex", std::to_string(args.PhysicalAdapterIndex));
    return w.finish("D3DKMTChangeVideoMemoryReservation", status);
}

std::string formatCall(const D3DKMT_QUERYPROCESSOFFERINFO& args, NtStatus status)
{
    Writer w("D3DKMT_QUERYPROCESSOFFERINFO");
    w.field("cbSize", std::to_string(args.cbSize));
    w.field("hProcess", processHandle(args.hProcess));
    w.field("DecommitUniqueness", std::to_string(args.DecommitUniqueness), "out");
    w.field("DecommittableBytes", std::to_string(args.DecommittableBytes), "out");
    return w.finish("D3DKMTQueryProcessOfferInfo", status);
}

std::string formatCall(const D3DKMT_TRIMPROCESSCOMMITMENT& args, NtStatus status)
{
    Writer w("D3DKMT_TRIMPROCESSCOMMITMENT");
    w.field("cbSize", std::to_string(args.cbSize));
    w.field("hProcess", processHandle(args.hProcess));
    std::string flags;
    if (args.Flags.Lazy())
        flags += "Lazy";
    if (args.Flags.OnlyRepurposed())
        flags += flags.empty() ? "OnlyRepurposed" : " | OnlyRepurposed";
    w.field("Flags.Value", hex(args.Flags.Value), flags.empty() ? nullptr : flags.c_str());
    w.field("DecommitRequested", std::to_string(args.DecommitRequested));
    w.field("NumBytesDecommitted", std::to_string(args.NumBytesDecommitted), "out");
    return w.finish("D3DKMTTrimProcessCommitment", status);
}

} // namespace offerscope
