// Runs a fuzz target without libFuzzer, so the g++ sanitizer test build exercises it too: every
// file of the seed corpus (a folder, searched recursively), then a bounded number of seeded
// mutations of each (bit flips, truncations, byte insertions), so CTest catches a parser that
// crashes on a near-miss of a real packet even where clang's libFuzzer is not run.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

constexpr int kMutationsPerFile = 2000;

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void run(const std::vector<uint8_t>& input) {
    // A copy of exactly the input's size, so ASan sees any read past its end.
    std::vector<uint8_t> exact(input);
    LLVMFuzzerTestOneInput(exact.empty() ? nullptr : exact.data(), exact.size());
}

std::vector<uint8_t> mutate(std::vector<uint8_t> input, std::mt19937& rng) {
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
        switch (rng() % 4) {
            case 0:
                if (!input.empty()) input[rng() % input.size()] ^= uint8_t(1u << (rng() % 8));
                break;
            case 1:
                if (!input.empty()) input.resize(rng() % input.size());
                break;
            case 2:
                input.insert(input.begin() + static_cast<long>(rng() % (input.size() + 1)),
                             uint8_t(rng()));
                break;
            default:
                if (!input.empty()) input[rng() % input.size()] = uint8_t(rng());
                break;
        }
    }
    return input;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(argv[1], ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file()) files.push_back(it->path());
    }
    if (ec || files.empty()) {
        std::fprintf(stderr, "no corpus files in %s\n", argv[1]);
        return 1;
    }
    std::sort(files.begin(), files.end());
    std::mt19937 rng(20261125);
    for (const auto& file : files) {
        const auto input = read_file(file);
        run(input);
        for (int i = 0; i < kMutationsPerFile; ++i)
            run(mutate(input, rng));
    }
    run({});
    std::printf("replayed %zu corpus files with %d mutations each\n", files.size(),
                kMutationsPerFile);
    return 0;
}
