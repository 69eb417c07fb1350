// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/sim/OfferQueue.h"

namespace offerscope::sim {

void OfferQueue::ensureComparator()
{
    const bool largest = m_order == WithinPriorityOrder::LargestFirst;
    if (m_sorted.empty() && m_sorted.key_comp().largestFirst != largest)
        m_sorted = std::set<Key, KeyLess>(KeyLess { largest });
}

void OfferQueue::push(AllocationRecords& records, std::uint32_t index)
{
    const AllocationRecord& record = records[index];
    if (m_order == WithinPriorityOrder::OldestOfferFirst) {
        m_fifo.pushBack(records, index);
    } else {
        ensureComparator();
        m_sorted.insert(Key { record.size, record.orderSeq, index });
    }
    ++m_count;
    m_bytes += record.size;
}

void OfferQueue::erase(AllocationRecords& records, std::uint32_t index)
{
    const AllocationRecord& record = records[index];
    if (m_order == WithinPriorityOrder::OldestOfferFirst)
        m_fifo.erase(records, index);
    else
        m_sorted.erase(Key { record.size, record.orderSeq, index });
    --m_count;
    m_bytes -= record.size;
}

std::uint32_t OfferQueue::front() const
{
    if (m_order == WithinPriorityOrder::OldestOfferFirst)
        return m_fifo.head;
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
