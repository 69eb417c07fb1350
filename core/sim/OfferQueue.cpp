// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sim/OfferQueue.h"

namespace offerscope::sim {

void OfferQueue::pushSorted(const AllocationRecord& record, std::uint32_t index)
{
    const bool largest = m_order == WithinPriorityOrder::LargestFirst;
    if (m_sorted.empty() && m_sorted.key_comp().largestFirst != largest)
        m_sorted = std::set<Key, KeyLess>(KeyLess { largest });
    m_sorted.insert(Key { record.size, record.orderSeq, index });
}

void OfferQueue::eraseSorted(const AllocationRecord& record, std::uint32_t index)
{
    m_sorted.erase(Key { record.size, record.orderSeq, index });
}

std::uint32_t OfferQueue::frontSorted() const
{
    return m_sorted.empty() ? kNil : m_sorted.begin()->index;
}

bool OfferQueue::before(WithinPriorityOrder order, const AllocationRecord& a, const AllocationRecord& b)
{
    switch (order) {
    case WithinPriorityOrder::LargestFirst:
        if (a.size != b.size)
            return a.size > b.size;
        break;
    case WithinPriorityOrder::SmallestFirst:
        if (a.size != b.size)
            return a.size < b.size;
        break;
    case WithinPriorityOrder::OldestOfferFirst:
        break;
    }
    return a.orderSeq < b.orderSeq;
}

} // namespace offerscope::sim
