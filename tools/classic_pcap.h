// The records of a classic pcap file (not pcapng), for the programs that
// feed captures to the core outside Wireshark: the core benchmark
// (bench/bench_core.cpp) and the profile training (pgo/train_core.cpp).
// Either byte order, microsecond or nanosecond times. The whole file is
// read into memory and the records point into it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string_view>
#include <vector>

namespace sipresp::tools {

struct PcapRecord {
    std::string_view bytes;  // as captured, from the link layer
    std::int64_t time_ns;
};

struct ClassicPcap {
    std::vector<unsigned char> file;
    std::uint32_t link_type = 0;  // 1: Ethernet
    std::vector<PcapRecord> records;
};

// False (with a note on stderr) for a file that cannot be read or is not a
// classic pcap. A record cut short by the end of the file ends the list.
inline bool read_classic_pcap(const char* path, ClassicPcap& pcap) {
    std::FILE* in = std::fopen(path, "rb");
    if (!in) {
        std::perror(path);
        return false;
    }
    unsigned char block[1 << 16];
    for (std::size_t n; (n = std::fread(block, 1, sizeof block, in)) != 0;)
        pcap.file.insert(pcap.file.end(), block, block + n);
    std::fclose(in);
    const std::vector<unsigned char>& f = pcap.file;
    bool swapped = false;
    const auto u32 = [&swapped](const unsigned char* p) {
        return swapped ? std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3]
                       : std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | p[0];
    };
    const std::uint32_t magic = f.size() >= 24 ? u32(f.data()) : 0;
    swapped = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
    const bool nanoseconds = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
    if (!swapped && !nanoseconds && magic != 0xa1b2c3d4) {
        std::fprintf(stderr, "%s: not a classic pcap file\n", path);
        return false;
    }
    pcap.link_type = u32(f.data() + 20);
    for (std::size_t at = 24; at + 16 <= f.size();) {
        const unsigned char* record = f.data() + at;
        const std::uint32_t length = u32(record + 8);
        if (length > f.size() - at - 16) break;
        const std::int64_t fraction = u32(record + 4);
        const std::int64_t ns = std::int64_t{u32(record)} * 1'000'000'000 + (nanoseconds ? fraction : fraction * 1000);
        pcap.records.push_back({{reinterpret_cast<const char*>(record + 16), length}, ns});
        at += 16 + std::size_t{length};
    }
    return true;
}

}  // namespace sipresp::tools
