// Helpers the sdp tests share: reading fixtures from test/data/sdp and building small SDP
// bodies line by line.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <vector>

namespace sdp_test {

inline std::filesystem::path data_dir() {
    return std::filesystem::path(SIDEBAR_TEST_DATA) / "sdp";
}

inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string fixture(const std::string& relative) {
    return read_text(data_dir() / relative);
}

// Every .sdp file of a fixture folder, sorted.
inline std::vector<std::filesystem::path> fixtures_in(const std::string& folder) {
    std::vector<std::filesystem::path> out;
    for (const auto& entry : std::filesystem::directory_iterator(data_dir() / folder)) {
        if (entry.path().extension() == ".sdp") out.push_back(entry.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string lines(std::initializer_list<std::string> items) {
    std::string out;
    for (const auto& line : items)
        out += line + "\r\n";
    return out;
}

// A small valid offer; tests replace or add lines to make it hostile.
inline std::string minimal_offer(const std::string& extra_media_lines = "") {
    return lines({"v=0", "o=- 1 1 IN IP4 10.0.0.1", "s=-", "c=IN IP4 10.0.0.1", "t=0 0",
                  "m=audio 4000 RTP/AVP 0 101", "a=rtpmap:101 telephone-event/8000"}) +
           extra_media_lines;
}

}  // namespace sdp_test
