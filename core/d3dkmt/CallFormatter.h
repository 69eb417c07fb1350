// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// Renders a D3DKMT call as a driver developer would write it, with the status it returned, e.g.
//   D3DKMT_OFFERALLOCATIONS args = {};
//   args.hDevice        = 0x30000001;
//   ...
//   D3DKMTOfferAllocations(&args); // STATUS_SUCCESS

#include "core/d3dkmt/D3dkmtStructs.h"
#include "core/d3dkmt/NtStatus.h"

#include <string>

namespace offerscope {

std::string formatCall(const D3DKMT_OFFERALLOCATIONS& args, NtStatus status);
std::string formatCall(const D3DKMT_RECLAIMALLOCATIONS& args, NtStatus status);
/// `resultsAsEnum`: the union is read as pResults (WDDM 2.1) rather than pDiscarded.
std::string formatCall(const D3DKMT_RECLAIMALLOCATIONS2& args, bool resultsAsEnum, NtStatus status);
std::string formatCall(const D3DDDI_MAKERESIDENT& args, NtStatus status);
std::string formatCall(const D3DKMT_EVICT& args, NtStatus status);
std::string formatCall(const D3DKMT_QUERYVIDEOMEMORYINFO& args, NtStatus status);
std::string formatCall(const D3DKMT_CHANGEVIDEOMEMORYRESERVATION& args, NtStatus status);
std::string formatCall(const D3DKMT_QUERYPROCESSOFFERINFO& args, NtStatus status);
std::string formatCall(const D3DKMT_TRIMPROCESSCOMMITMENT& args, NtStatus status);

/// "D3DKMT_OFFER_PRIORITY_LOW"; out-of-range values as "(D3DKMT_OFFER_PRIORITY)7".
std::string offerPriorityConstant(OfferPriority priority);

} // namespace offerscope
