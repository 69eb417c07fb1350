// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/Units.h"
#include "core/d3dkmt/CallFormatter.h"
#include "core/d3dkmt/D3dkmtStructs.h"

#include <cstddef>
#include <gtest/gtest.h>

using namespace offerscope;

TEST(Units, FormatsBinaryUnits)
{
    EXPECT_EQ(formatBytes(0), "0 B");
    EXPECT_EQ(formatBytes(1023), "1023 B");
    EXPECT_EQ(formatBytes(64 * kKiB), "64 KiB");
    EXPECT_EQ(formatBytes(256 * kMiB), "256 MiB");
    EXPECT_EQ(formatBytes(3 * kGiB / 2), "1.5 GiB");
}

TEST(Units, ParsesSizesAndRejectsGarbage)
{
    EXPECT_EQ(parseBytes("4096"), 4096u);
    EXPECT_EQ(parseBytes("256MiB"), 256 * kMiB);
    EXPECT_EQ(parseBytes(" 1.5 GiB "), 3 * kGiB / 2);
    EXPECT_EQ(parseBytes("64k"), 64 * kKiB);
    EXPECT_EQ(parseBytes("2MB"), 2'000'000u);
    EXPECT_FALSE(parseBytes("-5"));
    EXPECT_FALSE(parseBytes("12 apples"));
    EXPECT_FALSE(parseBytes(""));
    EXPECT_FALSE(parseBytes("99999999999999999999"));
    EXPECT_FALSE(parseBytes("17179869184TiB"));
}

TEST(D3dkmtTypes, WindowsNumbers)
{
    EXPECT_EQ(static_cast<std::uint32_t>(NtStatus::Success), 0x00000000u);
    EXPECT_EQ(static_cast<std::uint32_t>(NtStatus::InvalidParameter), 0xC000000Du);
    EXPECT_EQ(static_cast<std::uint32_t>(NtStatus::DeviceRemoved), 0xC00002B6u);
    EXPECT_EQ(static_cast<std::uint32_t>(NtStatus::NoMemory), 0xC0000017u);
    EXPECT_EQ(static_cast<std::uint32_t>(NtStatus::BufferTooSmall), 0xC0000023u);
    EXPECT_EQ(static_cast<std::uint32_t>(NtStatus::NotSupported), 0xC00000BBu);
    EXPECT_TRUE(ntSuccess(NtStatus::Pending));
    EXPECT_FALSE(ntSuccess(NtStatus::NoMemory));
    EXPECT_EQ(static_cast<int>(OfferPriority::None), 0);
    EXPECT_EQ(static_cast<int>(OfferPriority::Low), 1);
    EXPECT_EQ(static_cast<int>(OfferPriority::Auto), 4);
    EXPECT_EQ(static_cast<int>(ReclaimResult::NotCommitted), 2);
    EXPECT_EQ(D3DKMT_OFFER_FLAGS::kOfferImmediately, 0x1u);
    EXPECT_EQ(D3DKMT_OFFER_FLAGS::kAllowDecommit, 0x2u);
    EXPECT_EQ(static_cast<int>(MemorySegmentGroup::NonLocal), 1);
    EXPECT_EQ(static_cast<int>(D3DKMT_QUERYSTATISTICS_TYPE::ProcessSegmentGroup), 9);
    EXPECT_EQ(ntStatusName(NtStatus::InvalidParameter), "STATUS_INVALID_PARAMETER");
    EXPECT_EQ(parseOfferPriority("normal"), OfferPriority::Normal);
    EXPECT_FALSE(parseOfferPriority("5"));
}

// The argument structs keep Windows' field order (x64 in-process layout).
static_assert(offsetof(D3DKMT_OFFERALLOCATIONS, hDevice) == 0);
static_assert(offsetof(D3DKMT_OFFERALLOCATIONS, pResources) == 8);
static_assert(offsetof(D3DKMT_OFFERALLOCATIONS, HandleList) == 16);
static_assert(offsetof(D3DKMT_OFFERALLOCATIONS, NumAllocations) == 24);
static_assert(offsetof(D3DKMT_OFFERALLOCATIONS, Priority) == 28);
static_assert(offsetof(D3DKMT_OFFERALLOCATIONS, Flags) == 32);
static_assert(offsetof(D3DKMT_RECLAIMALLOCATIONS2, NumAllocations) == 4);
static_assert(offsetof(D3DKMT_RECLAIMALLOCATIONS2, pResources) == 8);
static_assert(offsetof(D3DKMT_RECLAIMALLOCATIONS2, PagingFenceValue) == 32);
static_assert(offsetof(D3DKMT_QUERYVIDEOMEMORYINFO, Budget) == 16);
static_assert(offsetof(D3DKMT_QUERYVIDEOMEMORYINFO, PhysicalAdapterIndex) == 48);
static_assert(offsetof(D3DDDI_MAKERESIDENT, NumBytesToTrim) == 40);
static_assert(sizeof(D3DKMT_QUERYSTATISTICS_RESULT) == 0x308);
static_assert(sizeof(D3DKMT_QUERYSTATISTICS) == 0x328);

TEST(CallFormatter, OfferShowsEveryFieldAndTheStatus)
{
    const D3DKMT_HANDLE handles[] = { 0x40000001, 0x40000002 };
    D3DKMT_OFFERALLOCATIONS args;
    args.hDevice = 0x30000001;
    args.HandleList = handles;
    args.NumAllocations = 2;
    args.Priority = OfferPriority::Low;
    args.Flags.Value = D3DKMT_OFFER_FLAGS::kAllowDecommit;
    const std::string text = formatCall(args, NtStatus::Success);
    EXPECT_NE(text.find("D3DKMT_OFFERALLOCATIONS args = {};"), std::string::npos) << text;
    EXPECT_NE(text.find("args.hDevice                 = 0x30000001;"), std::string::npos) << text;
    EXPECT_NE(text.find("args.pResources              = NULL;"), std::string::npos) << text;
    EXPECT_NE(text.find("{ 0x40000001, 0x40000002 }"), std::string::npos) << text;
    EXPECT_NE(text.find("D3DKMT_OFFER_PRIORITY_LOW"), std::string::npos) << text;
    EXPECT_NE(text.find("0x2; // AllowDecommit"), std::string::npos) << text;
    EXPECT_NE(text.find("D3DKMTOfferAllocations(&args); // STATUS_SUCCESS"), std::string::npos) << text;
}
