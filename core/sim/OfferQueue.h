// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/sim/AllocationRecord.h"

#include <cstdint>
#include <set>

namespace offerscope::sim {

/// Offered allocations of one (process, segment, level, AllowDecommit) in discard order. The default
/// oldest-first order is an intrusive FIFO (O(1)); size orders use a balanced tree (O(log n)).
class OfferQueue {
public:
    /// Changes the order; the queue must be empty (the simulator drains and refills on a change).
    void setOrder(WithinPriorityOrder order) { m_order = order; }
    WithinPriorityOrder order() const { return m_order; }

    void push(AllocationRecords& records, std::uint32_t index)
    {
        if (m_order == WithinPriorityOrder::OldestOfferFirst) {
            m_fifo.pushBack(records, index);
            return;
        }
        pushSorted(records[index], index);
        ++m_count;
        m_bytes += records[index].size;
    }
    void erase(AllocationRecords& records, std::uint32_t index)
    {
        if (m_order == WithinPriorityOrder::OldestOfferFirst) {
            m_fifo.erase(records, index);
            return;
        }
        m_bytes -= records[index].size;
        eraseSorted(records[index], index);
        --m_count;
    }
    /// The next victim, or kNil.
    std::uint32_t front() const
    {
        if (m_order == WithinPriorityOrder::OldestOfferFirst)
            return m_fifo.head;
        return frontSorted();
    }
    /// The next victim that holds memory in its segment, or kNil: an offer made while the allocation was
    /// evicted frees nothing when discarded. Walks past such offers (usually there are none).
    std::uint32_t frontInMemory(const AllocationRecords& records) const
    {
        std::uint32_t found = kNil;
        forEachUntil(records, [&](std::uint32_t i) {
            if (records[i].resident)
                found = i;
            return found != kNil;
        });
        return found;
    }
    bool empty() const { return count() == 0; }
    std::uint32_t count() const { return m_order == WithinPriorityOrder::OldestOfferFirst ? m_fifo.count : m_count; }
    std::uint64_t bytes() const { return m_order == WithinPriorityOrder::OldestOfferFirst ? m_fifo.bytes : m_bytes; }

    /// True when a should be discarded before b under this queue's order.
    static bool before(WithinPriorityOrder order, const AllocationRecord& a, const AllocationRecord& b);

    /// Visits the allocations in discard order.
    template <typename F> void forEach(const AllocationRecords& records, F&& f) const
    {
        if (m_order == WithinPriorityOrder::OldestOfferFirst) {
            m_fifo.forEach(records, f);
            return;
        }
        for (const Key& key : m_sorted)
            f(key.index);
    }
    /// Visits the allocations in discard order until `f` returns true.
    template <typename F> void forEachUntil(const AllocationRecords& records, F&& f) const
    {
        if (m_order == WithinPriorityOrder::OldestOfferFirst) {
            for (std::uint32_t i = m_fifo.head; i != kNil; i = records[i].next)
                if (f(i))
                    return;
            return;
        }
        for (const Key& key : m_sorted)
            if (f(key.index))
                return;
    }

private:
    struct Key {
        std::uint64_t size;
        std::uint64_t seq;
        std::uint32_t index;
    };
    struct KeyLess {
        bool largestFirst = false;
        bool operator()(const Key& a, const Key& b) const
        {
            if (a.size != b.size)
                return largestFirst ? a.size > b.size : a.size < b.size;
            return a.seq < b.seq;
        }
    };

    WithinPriorityOrder m_order = WithinPriorityOrder::OldestOfferFirst;
    AllocationList m_fifo;
    std::set<Key, KeyLess> m_sorted;
    std::uint32_t m_count = 0; ///< size orders only (the FIFO list counts itself)
    std::uint64_t m_bytes = 0;

    void pushSorted(const AllocationRecord& record, std::uint32_t index);
    void eraseSorted(const AllocationRecord& record, std::uint32_t index);
    std::uint32_t frontSorted() const;
};

} // namespace offerscope::sim
