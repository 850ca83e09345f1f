// The load generator's sidebars mode (issue 5's benchmark): with N members mixing, a controller
// puts a fraction of them into sidebars, two per sidebar, and takes them out again, in rounds.
// Figures: INVITE -> 200 and REFER -> NOTIFY 200 latencies, and the mixer's CPU per member per
// tick in the windows with sidebars against the windows without, in the same run (same N, same
// rooms, same media), so the comparison shows what the sidebars themselves cost.
#pragma once

#include "test/bench/mixer/load/loadgen_options.hpp"

namespace sidebar::loadgen {

// Prints one RESULT line; 0 when every call and every sidebar operation worked, else 2.
int run_sidebars(const Options& o);

}  // namespace sidebar::loadgen
